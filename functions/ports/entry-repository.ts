import type { CodeUnitId } from '../domain/catalogue.js';
import type { JobQueueEntry } from '../domain/job-queue-entry.js';

/**
 * Job queue entries, at most one per code unit. Every write is conditional:
 * - `create` fails with EntryAlreadyExistsError (carrying the stored entry) if one exists;
 * - `update` and `delete` fail with VersionConflictError unless the stored version equals `expectedVersion`.
 * `update` stores `next` with version `expectedVersion + 1` and returns what it stored.
 */
export interface EntryRepository {
  get(codeUnit: CodeUnitId): Promise<JobQueueEntry | undefined>;
  list(): Promise<JobQueueEntry[]>;
  create(entry: JobQueueEntry): Promise<JobQueueEntry>;
  update(next: JobQueueEntry, expectedVersion: number): Promise<JobQueueEntry>;
  delete(codeUnit: CodeUnitId, expectedVersion: number): Promise<void>;
}
