import { CODE_UNIT_IDS, type CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, VersionConflictError } from '../../domain/errors.js';
import type { JobQueueEntry } from '../../domain/job-queue-entry.js';
import type { EntryRepository } from '../../ports/entry-repository.js';

/**
 * Entries in a Map, with the same conditional-write rules as DynamoEntryRepository. Every value
 * is cloned on the way in and out, so callers can neither change stored state nor see later writes.
 * Each method reads and writes within one synchronous step, so concurrent calls race like
 * conditional writes do: exactly one wins.
 */
export class MemoryEntryRepository implements EntryRepository {
  readonly #items = new Map<CodeUnitId, JobQueueEntry>();

  async get(codeUnit: CodeUnitId): Promise<JobQueueEntry | undefined> {
    const stored = this.#items.get(codeUnit);
    return stored && structuredClone(stored);
  }

  async list(): Promise<JobQueueEntry[]> {
    return CODE_UNIT_IDS.flatMap((id) => {
      const stored = this.#items.get(id);
      return stored ? [structuredClone(stored)] : [];
    });
  }

  async create(entry: JobQueueEntry): Promise<JobQueueEntry> {
    const existing = this.#items.get(entry.codeUnit);
    if (existing) throw new EntryAlreadyExistsError<JobQueueEntry>(structuredClone(existing));
    this.#items.set(entry.codeUnit, structuredClone(entry));
    return structuredClone(entry);
  }

  async update(next: JobQueueEntry, expectedVersion: number): Promise<JobQueueEntry> {
    const stored = this.#items.get(next.codeUnit);
    // A re-created entry (new id) may be back at the same version: an old writer must not win.
    if (!stored || stored.version !== expectedVersion || stored.id !== next.id) {
      throw new VersionConflictError(expectedVersion, stored?.version ?? null);
    }
    const written: JobQueueEntry = { ...structuredClone(next), version: expectedVersion + 1 };
    this.#items.set(next.codeUnit, written);
    return structuredClone(written);
  }

  async delete(codeUnit: CodeUnitId, expectedVersion: number): Promise<void> {
    const stored = this.#items.get(codeUnit);
    if (!stored || stored.version !== expectedVersion) {
      throw new VersionConflictError(expectedVersion, stored?.version ?? null);
    }
    this.#items.delete(codeUnit);
  }
}
