import type { Clock } from '../ports/clock.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { EntryRepository } from '../ports/entry-repository.js';
import type { IdGenerator } from '../ports/ids.js';
import type { RunLauncher } from '../ports/run-launcher.js';
import type { RunLogRepository } from '../ports/run-log-repository.js';
import type { ScheduleGateway } from '../ports/schedule-gateway.js';

/** Everything the job-queue use cases need; built by functions/wiring (aws.ts, local.ts) or by tests. */
export interface JobQueueDeps {
  readonly entries: EntryRepository;
  readonly runs: RunLogRepository;
  readonly schedules: ScheduleGateway;
  readonly launcher: RunLauncher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface RunnerDeps extends Omit<JobQueueDeps, 'launcher'> {
  readonly codeUnit: CodeUnit;
}
