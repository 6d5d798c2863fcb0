import { BackgroundWork } from '../../../functions/adapters/local/background-work.js';
import { InProcessRunLauncher } from '../../../functions/adapters/local/in-process-run-launcher.js';
import { MemoryMetrics } from '../../../functions/adapters/memory/memory-metrics.js';
import { MemoryEntryRepository } from '../../../functions/adapters/memory/memory-entry-repository.js';
import { MemoryRunLogRepository } from '../../../functions/adapters/memory/memory-run-log-repository.js';
import { MemoryScheduleGateway } from '../../../functions/adapters/memory/memory-schedule-gateway.js';
import type { CodeUnitId } from '../../../functions/domain/catalogue.js';
import type { JobQueueEntry, RunLogEntry } from '../../../functions/domain/job-queue-entry.js';
import { desiredSchedule, type ScheduleInput } from '../../../functions/domain/schedule.js';
import type { CodeUnit, CodeUnitContext, CodeUnitResult } from '../../../functions/ports/code-unit.js';
import type { ManualRunRequest, RunLauncher } from '../../../functions/ports/run-launcher.js';
import type { JobQueueDeps, RunnerDeps } from '../../../functions/use-cases/deps.js';
import type { RunEntryOptions } from '../../../functions/use-cases/run-entry.js';
import { codeUnitHandler } from '../../../functions/handlers/code-unit-handler.js';
import { RecordingLogger } from '../../helpers/recording-logger.js';
import { makeEntry } from '../../helpers/entry-factory.js';
import { FixedIds } from '../../helpers/fixed-ids.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** Monday 2 March 2026, 09:00 in Warsaw. */
export const START = '2026-03-02T08:00:00.000Z';

/** A Ready entry due at START that runs every hour, every day. */
export const READY_HOURLY = {
  status: 'Ready' as const,
  nextRunAt: START,
  recurrence: { minutesBetweenRuns: 60, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: null, endingTime: null },
};

/** A launcher that only records what it was asked to launch. */
export class RecordingLauncher implements RunLauncher {
  readonly launched: ManualRunRequest[] = [];
  async launch(request: ManualRunRequest): Promise<void> {
    this.launched.push(request);
  }
}

/** A code unit whose behaviour the test sets; it records every context it was run with. */
export class ScriptedCodeUnit implements CodeUnit {
  readonly calls: CodeUnitContext[] = [];
  behaviour: (context: CodeUnitContext) => Promise<CodeUnitResult> = async () => ({ counters: { checked: 1 } });

  constructor(readonly id: CodeUnitId = 'send-documents') {}

  run(context: CodeUnitContext): Promise<CodeUnitResult> {
    this.calls.push(context);
    return this.behaviour(context);
  }
}

export interface Harness {
  readonly clock: ManualClock;
  readonly entries: MemoryEntryRepository;
  readonly runs: MemoryRunLogRepository;
  readonly schedules: MemoryScheduleGateway;
  readonly launcher: RecordingLauncher;
  readonly ids: FixedIds;
  readonly codeUnit: ScriptedCodeUnit;
  readonly deps: JobQueueDeps;
  readonly runner: RunnerDeps;
  /** Every line the use cases logged. */
  readonly logger: RecordingLogger;
  readonly metrics: MemoryMetrics;
  /** Cut-off timer: a real 5 ms wait that moves the fake clock by the full timeout. */
  readonly options: RunEntryOptions;
  /** Stores an entry (and its schedule) as if an admin had set it up. */
  seed(overrides?: Partial<JobQueueEntry>): Promise<JobQueueEntry>;
  entry(codeUnit?: CodeUnitId): Promise<JobQueueEntry>;
  /** The run log of a code unit, oldest first. */
  log(codeUnit?: CodeUnitId): Promise<RunLogEntry[]>;
  /** What the entry's schedule would deliver now. */
  scheduledInput(codeUnit?: CodeUnitId): Promise<ScheduleInput>;
  /** Local mode's launcher: run-now invokes the code-unit handler of `codeUnitOf(id)` on this harness. */
  inProcessLauncher(codeUnitOf?: (codeUnit: CodeUnitId) => CodeUnit): InProcessRunLauncher;
}

export function makeHarness(start: string = START): Harness {
  const clock = new ManualClock(start);
  const entries = new MemoryEntryRepository();
  // Retention is measured against the fake clock, so rows written "now" stay visible.
  const runs = new MemoryRunLogRepository({ clock });
  const schedules = new MemoryScheduleGateway();
  const launcher = new RecordingLauncher();
  const ids = new FixedIds();
  const codeUnit = new ScriptedCodeUnit();
  const logger = new RecordingLogger();
  const metrics = new MemoryMetrics();
  const deps: JobQueueDeps = { entries, runs, schedules, launcher, clock, ids, logger };
  const runner: RunnerDeps = { entries, runs, schedules, clock, ids, codeUnit, logger, metrics };
  const options: RunEntryOptions = {
    random: () => 0,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          clock.advance(ms);
          resolve();
        }, 5);
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }),
  };
  const harness: Harness = {
    clock,
    entries,
    runs,
    schedules,
    launcher,
    ids,
    codeUnit,
    deps,
    runner,
    logger,
    metrics,
    options,
    async seed(overrides = {}) {
      const stored = await entries.create(makeEntry({ createdAt: start, updatedAt: start, ...overrides }));
      await schedules.put(desiredSchedule(stored));
      return stored;
    },
    async entry(id = 'send-documents') {
      const stored = await entries.get(id);
      if (!stored) throw new Error(`no entry for ${id}`);
      return stored;
    },
    async log(id = 'send-documents') {
      return (await runs.list(id, { limit: 100 })).items.reverse();
    },
    async scheduledInput(id = 'send-documents') {
      return desiredSchedule(await harness.entry(id)).input;
    },
    inProcessLauncher(codeUnitOf = () => codeUnit) {
      return new InProcessRunLauncher((id) => codeUnitHandler(codeUnitOf(id), (unit) => ({ ...runner, codeUnit: unit })), new BackgroundWork(logger));
    },
  };
  return harness;
}

/** A promise the test resolves when it wants. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
