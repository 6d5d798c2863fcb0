import type { CodeUnitId } from '../domain/catalogue.js';
import type { JobQueueEntry, RunCounters, RunTrigger } from '../domain/job-queue-entry.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

export interface CodeUnitContext {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly attempt: number;
  readonly entry: JobQueueEntry;
  readonly clock: Clock;
  /** When the job timeout ends; a code unit should stop taking new work well before it. */
  readonly deadline: Date;
  /** Aborted when the job timeout passes. */
  readonly signal: AbortSignal;
  /** The run's log: every line carries codeUnit, runId, attempt and trigger. */
  readonly logger: Logger;
}

export interface CodeUnitResult {
  /** What the run did, e.g. `{ sent: 12, accepted: 10 }`; shown in the run log. */
  readonly counters: RunCounters;
}

/** The work of one queue. Throwing fails the run; NonRetryableError fails it without retries. */
export interface CodeUnit {
  readonly id: CodeUnitId;
  run(context: CodeUnitContext): Promise<CodeUnitResult>;
}
