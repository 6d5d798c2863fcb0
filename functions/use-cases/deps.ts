import type { Clock } from '../ports/clock.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { EntryRepository } from '../ports/entry-repository.js';
import type { IdGenerator } from '../ports/ids.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { RunLauncher } from '../ports/run-launcher.js';
import type { RunLogRepository } from '../ports/run-log-repository.js';
import type { ScheduleGateway } from '../ports/schedule-gateway.js';
import type { RunOutcomeNotifier } from './notify.js';

/** Everything the job-queue use cases need; built by functions/wiring (aws.ts, local.ts) or by tests. */
export interface JobQueueDeps {
  readonly entries: EntryRepository;
  readonly runs: RunLogRepository;
  readonly schedules: ScheduleGateway;
  readonly launcher: RunLauncher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** Who is told about run outcomes (failure and recovery e-mails); optional so that tests and tools can leave it out. */
export interface RunNotifierDeps {
  /**
   * Called after a run of a Ready entry ended (final failure or success; never for a retried
   * attempt), also when a stale lease ends it. Should not throw; if it does, the run logs it and goes on.
   */
  readonly notify?: RunOutcomeNotifier;
}

export interface RunnerDeps extends Omit<JobQueueDeps, 'launcher'>, RunNotifierDeps {
  readonly codeUnit: CodeUnit;
  /** Run duration and outcome, and the documents each run moved (its counters). */
  readonly metrics: Metrics;
}
