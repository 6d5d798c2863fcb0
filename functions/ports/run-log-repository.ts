import type { CodeUnitId } from '../domain/catalogue.js';
import type { RunLogEntry } from '../domain/job-queue-entry.js';

export interface Page<T> {
  readonly items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * The run log. A row is written when a run starts (status InProcess, or Skipped at once)
 * and completed exactly once: `complete` succeeds only while the stored row is InProcess
 * (else VersionConflictError), so a late finisher cannot overwrite a stale-lease verdict.
 */
export interface RunLogRepository {
  start(row: RunLogEntry): Promise<void>;
  complete(row: RunLogEntry): Promise<RunLogEntry>;
  get(codeUnit: CodeUnitId, runId: string): Promise<RunLogEntry | undefined>;
  /** Newest first. `limit` 1 … 100. An unknown or malformed cursor throws ValidationError. */
  list(codeUnit: CodeUnitId, options: { limit: number; cursor?: string | null }): Promise<Page<RunLogEntry>>;
}
