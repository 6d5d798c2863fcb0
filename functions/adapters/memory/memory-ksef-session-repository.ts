import { ConflictError, VersionConflictError } from '../../domain/errors.js';
import { isSessionFinished, type KsefSessionRecord, type KsefSessionRepository } from '../../ports/ksef-session-repository.js';

/** KSeF session records in a Map, with the rules of DynamoKsefSessionRepository. */
export class MemoryKsefSessionRepository implements KsefSessionRepository {
  readonly #records = new Map<string, KsefSessionRecord>();

  async create(record: KsefSessionRecord): Promise<KsefSessionRecord> {
    const existing = this.#records.get(record.id);
    if (existing) throw new ConflictError<KsefSessionRecord>(`KSeF session '${record.id}' is already recorded.`, structuredClone(existing));
    const written = { ...record, version: 1 };
    this.#records.set(record.id, structuredClone(written));
    return structuredClone(written);
  }

  async get(id: string): Promise<KsefSessionRecord | undefined> {
    const stored = this.#records.get(id);
    return stored && structuredClone(stored);
  }

  async update(next: KsefSessionRecord, expectedVersion: number): Promise<KsefSessionRecord> {
    const stored = this.#records.get(next.id);
    if (!stored || stored.version !== expectedVersion) throw new VersionConflictError(expectedVersion, stored?.version ?? null);
    const written = { ...next, version: expectedVersion + 1 };
    this.#records.set(next.id, structuredClone(written));
    return structuredClone(written);
  }

  async listUnfinished(): Promise<KsefSessionRecord[]> {
    return [...this.#records.values()]
      .filter((record) => !isSessionFinished(record))
      .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : 1))
      .map((record) => structuredClone(record));
  }
}
