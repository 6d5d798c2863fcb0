import { VersionConflictError } from '../../domain/errors.js';
import type { SyncState, SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';

/** Sync marks in a Map, with the rules of DynamoSyncStateRepository. */
export class MemorySyncStateRepository implements SyncStateRepository {
  readonly #states = new Map<string, SyncState>();

  async get(stream: SyncStreamId): Promise<SyncState | undefined> {
    const stored = this.#states.get(keyOf(stream));
    return stored && { ...stored };
  }

  async advance(stream: SyncStreamId, mark: string, at: string, expectedVersion: number): Promise<SyncState> {
    const stored = this.#states.get(keyOf(stream));
    const actual = stored?.version ?? 0;
    if (actual !== expectedVersion) throw new VersionConflictError(expectedVersion, stored ? actual : null);
    const next: SyncState = { purpose: stream.purpose, subjectType: stream.subjectType, mark, updatedAt: at, version: expectedVersion + 1 };
    this.#states.set(keyOf(stream), next);
    return { ...next };
  }
}

function keyOf(stream: SyncStreamId): string {
  return `${stream.purpose}|${stream.subjectType}`;
}
