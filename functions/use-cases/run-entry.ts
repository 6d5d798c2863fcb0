import { EntryAlreadyExistsError, VersionConflictError } from '../domain/errors.js';
import type { JobQueueEntry, RunCounters, RunLogEntry } from '../domain/job-queue-entry.js';
import { describeError } from '../domain/retry-policy.js';
import type { ScheduleInput } from '../domain/schedule.js';
import { acquireLease, finishRun, hasPendingRestart, isLeaseStale, RUNNER_ACTOR, type RunOutcome } from '../domain/transitions.js';
import type { CodeUnitResult } from '../ports/code-unit.js';
import type { Logger } from '../ports/logger.js';
import { DIMENSION, METRIC } from '../ports/metrics.js';
import type { ManualRunRequest } from '../ports/run-launcher.js';
import { applySchedule } from './apply-schedule.js';
import type { RunnerDeps } from './deps.js';
import { recoverStaleLease } from './recover-stale-lease.js';
import { retryVerdict } from './retry-verdict.js';
import { JobTimeoutError } from './run-errors.js';
import { tellRunOutcome, type EndedRun } from './tell-run-outcome.js';

/*
 * THE RUN PROTOCOL, shared by every code unit (one Lambda per code unit on AWS, in-process locally):
 *
 *  1. Read the entry and admit the trigger. Skipped (a row with a skipReason, nothing else changes):
 *     no entry; an entry with another id (deleted and re-created); a lease held by a live run; for a
 *     schedule/retry/restart trigger an entry that is not Ready (or, for a restart, not in Error with
 *     that restart pending: an OnHold entry is never restarted), or a slot that is not the entry's
 *     next run or still in the future (EventBridge delivers at least once: a late duplicate must not
 *     run again).
 *  2. A stale lease (the run crashed or outlived its job timeout) is recorded as an Error and
 *     released first (recoverStaleLease), then the trigger is admitted again.
 *  3. Take the lease with a conditional write on the version. Losing means the entry changed: read it
 *     again and decide again (usually: another trigger took the lease → Skipped "lease taken"). A
 *     restart moves the entry from Error to Ready (attempts reset) in this same write.
 *  4. Write the run-log row InProcess, run the code unit with an AbortSignal that fires at the job
 *     timeout, and race it against that timeout so that a hanging code unit is cut off.
 *  5. Complete the row (Success with counters, or Error with message and stack).
 *  6. Finish the entry with a conditional write, re-reading and re-deciding when it loses; when the
 *     lease is no longer ours (a stale-lease check took it), the entry is left to that verdict.
 *  7. Put the entry's schedule (entry first, schedule second; the reconciler repairs a failed put).
 *  8. Tell the notifier (deps.notify) about a final failure or a success; a retried attempt mails nobody.
 * A manual run ("run now", from the API) is admitted whatever the entry's status and whatever its
 * slot, takes the same lease (so it never overlaps a scheduled run: a slot that comes meanwhile is
 * Skipped, "lease taken", and finishRun puts it at the next minute), and never shifts the schedule: its
 * failure is logged but not retried, not counted as an attempt and not mailed, and the entry keeps
 * its status and next run; its success on a Ready entry resets the attempts (see transitions.ts).
 * Nothing here leaves an entry InProcess for ever: whatever fails after step 3 ends in step 6, and
 * if even that cannot be written, the lease goes stale and step 2 (or the reconciler) ends it.
 */

export type RunTriggerInput = ScheduleInput | ManualRunRequest;

export interface RunEntryOptions {
  /**
   * Resolves after `ms` milliseconds, unless `signal` aborts first (then it may never settle).
   * The job-timeout cut-off; tests pass a shorter wait.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter for retry delays, [0, 1). */
  readonly random?: () => number;
  /**
   * Called after a run that held the lease has ended and its entry and schedule are written (the
   * seam for failure e-mails and restarts); `entry` is undefined when the lease was no longer this
   * run's. Its errors are logged and never change the run's outcome.
   */
  readonly onFinished?: (finished: { readonly row: RunLogEntry; readonly entry: JobQueueEntry | undefined }) => Promise<void> | void;
}

/** How often the protocol re-reads after losing a conditional write before giving up on the trigger. */
const MAX_ROUNDS = 5;

export const SkipReason = {
  noEntry: () => 'No job queue entry exists for this code unit (deleted?).',
  otherEntry: (id: string) => `The entry was deleted and re-created (now '${id}'); this trigger was for the old entry.`,
  wrongCodeUnit: (runs: string) => `This function runs the code unit '${runs}'.`,
  leaseTaken: (runId: string) => `Lease taken: run '${runId}' is still in process.`,
  notReady: (status: string) => `The entry is ${status}; only a Ready entry (or one in Error with an automatic restart pending) runs on its schedule.`,
  notTheNextRun: (scheduledFor: string, nextRunAt: string | null) =>
    `Not due: this trigger is for ${scheduledFor} but the entry's next run is ${nextRunAt ?? 'not scheduled'} (a duplicate or outdated delivery).`,
  notYetDue: (nextRunAt: string) => `Not due yet: the entry's next run is ${nextRunAt}.`,
  keptChanging: () => 'The entry kept changing while the run tried to start it; the next trigger will try again.',
} as const;

type Admission = { readonly kind: 'run' } | { readonly kind: 'stale' } | { readonly kind: 'skip'; readonly reason: string };

/** Step 1: whether this trigger may run the entry now. */
export function admit(entry: JobQueueEntry | undefined, trigger: RunTriggerInput, now: Date): Admission {
  if (entry === undefined) return { kind: 'skip', reason: SkipReason.noEntry() };
  if (entry.id !== trigger.entryId) return { kind: 'skip', reason: SkipReason.otherEntry(entry.id) };
  if (entry.status === 'InProcess') {
    return isLeaseStale(entry, now) ? { kind: 'stale' } : { kind: 'skip', reason: SkipReason.leaseTaken(entry.lease?.runId ?? 'unknown') };
  }
  if (trigger.trigger === 'manual') return { kind: 'run' };
  const restart = trigger.trigger === 'restart' && hasPendingRestart(entry);
  if (entry.status !== 'Ready' && !restart) return { kind: 'skip', reason: SkipReason.notReady(entry.status) };
  if (entry.nextRunAt === null || Date.parse(entry.nextRunAt) !== Date.parse(trigger.scheduledFor)) {
    return { kind: 'skip', reason: SkipReason.notTheNextRun(trigger.scheduledFor, entry.nextRunAt) };
  }
  if (Date.parse(entry.nextRunAt) > now.getTime()) return { kind: 'skip', reason: SkipReason.notYetDue(entry.nextRunAt) };
  return { kind: 'run' };
}

/** Runs the entry for one trigger and returns its run-log row (Success, Error or Skipped). */
export async function runEntry(deps: RunnerDeps, trigger: RunTriggerInput, options: RunEntryOptions = {}): Promise<RunLogEntry> {
  const random = options.random ?? Math.random;
  const runId = trigger.trigger === 'manual' ? trigger.runId : deps.ids.runId(deps.clock.now());
  if (trigger.codeUnit !== deps.codeUnit.id) return writeSkipped(deps, trigger, runId, SkipReason.wrongCodeUnit(deps.codeUnit.id));
  if (trigger.trigger === 'manual') {
    // A manual request delivered again (Lambda retries async invokes) after it was handled: same answer.
    const handled = await deps.runs.get(trigger.codeUnit, trigger.runId);
    if (handled !== undefined) return handled;
  }

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const now = deps.clock.now();
    const entry = await deps.entries.get(trigger.codeUnit);
    const admission = admit(entry, trigger, now);
    if (admission.kind === 'skip') return writeSkipped(deps, trigger, runId, admission.reason);
    if (entry === undefined) break;
    if (admission.kind === 'stale') {
      await recoverStaleLease(deps, entry, now, random);
      continue;
    }
    const actor = trigger.trigger === 'manual' ? trigger.requestedBy : RUNNER_ACTOR;
    let leased: JobQueueEntry;
    try {
      leased = await deps.entries.update(acquireLease(entry, trigger.trigger, runId, now, actor), entry.version);
    } catch (error) {
      if (error instanceof VersionConflictError) continue;
      throw error;
    }
    const lease = leased.lease;
    const keys = lease === null ? {} : runKeys({ codeUnit: leased.codeUnit, ...lease });
    // Every line written while the run executes carries its keys, the shared KSeF client's too.
    return deps.logger.scoped(keys, () => execute(deps, leased, trigger, { ...options, sleep: options.sleep ?? sleepFor, random }));
  }
  return writeSkipped(deps, trigger, runId, SkipReason.keptChanging());
}

async function writeSkipped(deps: RunnerDeps, trigger: RunTriggerInput, runId: string, reason: string): Promise<RunLogEntry> {
  const now = deps.clock.now().toISOString();
  const row: RunLogEntry = {
    codeUnit: trigger.codeUnit,
    entryId: trigger.entryId,
    runId,
    trigger: trigger.trigger,
    // A skipped trigger is not an attempt.
    attempt: 0,
    status: 'Skipped',
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    scheduledFor: trigger.trigger === 'manual' ? null : trigger.scheduledFor,
    errorMessage: null,
    errorStack: null,
    skipReason: reason,
    counters: {},
  };
  try {
    await deps.runs.start(row);
  } catch (error) {
    // The same manual request delivered twice: its row is already there.
    if (error instanceof EntryAlreadyExistsError) return error.existing as RunLogEntry;
    throw error;
  }
  runLogger(deps.logger, row).info('Run skipped.', { skipReason: reason });
  deps.metrics.add(METRIC.runs, 'Count', 1, { [DIMENSION.queue]: row.codeUnit, [DIMENSION.outcome]: row.status });
  return row;
}

/** The keys every line of a run carries. */
function runKeys(run: Pick<RunLogEntry, 'codeUnit' | 'runId' | 'attempt' | 'trigger'>) {
  return { codeUnit: run.codeUnit, runId: run.runId, attempt: run.attempt, trigger: run.trigger };
}

/** A logger whose lines carry the run's keys. */
export function runLogger(logger: Logger, run: Pick<RunLogEntry, 'codeUnit' | 'runId' | 'attempt' | 'trigger'>): Logger {
  return logger.with(runKeys(run));
}

/** Run duration and outcome per queue, and each counter of a successful run (what it moved). */
function publishRunMetrics(deps: RunnerDeps, row: RunLogEntry): void {
  const queue = { [DIMENSION.queue]: row.codeUnit };
  deps.metrics.add(METRIC.runs, 'Count', 1, { ...queue, [DIMENSION.outcome]: row.status });
  if (row.durationMs !== null) deps.metrics.add(METRIC.runDuration, 'Milliseconds', row.durationMs, queue);
  for (const [counter, value] of Object.entries(row.counters)) deps.metrics.add(METRIC.runCounter, 'Count', value, { ...queue, [DIMENSION.counter]: counter });
}

type Result = { readonly ok: true; readonly counters: RunCounters } | { readonly ok: false; readonly error: unknown };

/** Steps 4–7, for an entry whose lease this run holds. */
async function execute(
  deps: RunnerDeps,
  leased: JobQueueEntry,
  trigger: RunTriggerInput,
  options: RunEntryOptions & Required<Pick<RunEntryOptions, 'sleep' | 'random'>>,
): Promise<RunLogEntry> {
  const { sleep, random } = options;
  const lease = leased.lease;
  if (lease === null) throw new Error('A leased entry has a lease.');
  const logger = runLogger(deps.logger, { codeUnit: leased.codeUnit, ...lease });
  const started: RunLogEntry = {
    codeUnit: leased.codeUnit,
    entryId: leased.id,
    runId: lease.runId,
    trigger: lease.trigger,
    attempt: lease.attempt,
    status: 'InProcess',
    startedAt: lease.startedAt,
    finishedAt: null,
    durationMs: null,
    scheduledFor: trigger.trigger === 'manual' ? null : trigger.scheduledFor,
    errorMessage: null,
    errorStack: null,
    skipReason: null,
    counters: {},
  };
  let result: Result;
  try {
    await deps.runs.start(started);
    result = await runCodeUnit(deps, leased, sleep, logger);
  } catch (error) {
    result = { ok: false, error };
  }
  const end = deps.clock.now();
  const row = await completeRow(deps, started, result, end, logger);
  const outcome: RunOutcome = result.ok
    ? { kind: 'success', runId: lease.runId, counters: result.counters }
    : { kind: 'failure', runId: lease.runId, errorMessage: row.errorMessage ?? describeError(result.error).message };
  let finished: JobQueueEntry | undefined;
  let ended: EndedRun | undefined;
  try {
    const stored = await finishEntry(deps, leased, outcome, result, end, random);
    finished = stored?.entry;
    if (stored !== undefined) {
      await applySchedule(deps, stored.entry);
      ended = { previousStatus: stored.previousStatus, row, entry: stored.entry };
    }
  } catch (error) {
    // The lease goes stale and is ended by the next trigger or the reconciler; the row is complete.
    logger.error('The run could not finish its entry; the lease goes stale and the reconciler ends it.', { error });
  }
  // When the lease was not ours any more, the stale-lease recovery that took it has told the notifier.
  if (ended !== undefined) await tellRunOutcome({ ...deps, logger }, ended);
  try {
    await options.onFinished?.({ row, entry: finished });
  } catch (error) {
    logger.error('onFinished failed.', { error });
  }
  const summary = { status: row.status, durationMs: row.durationMs, counters: row.counters, ...(row.errorMessage === null ? {} : { errorMessage: row.errorMessage }) };
  if (row.status === 'Error') logger.warn('Run finished.', summary);
  else logger.info('Run finished.', summary);
  publishRunMetrics(deps, row);
  return row;
}

/** Step 4: the code unit, cut off at the job timeout. */
async function runCodeUnit(deps: RunnerDeps, entry: JobQueueEntry, sleep: NonNullable<RunEntryOptions['sleep']>, logger: Logger): Promise<Result> {
  const lease = entry.lease;
  if (lease === null) throw new Error('A leased entry has a lease.');
  const timeoutMs = entry.jobTimeoutSeconds * 1000;
  const abort = new AbortController();
  const stopTimer = new AbortController();
  const timedOut = sleep(timeoutMs, stopTimer.signal).then(() => {
    throw new JobTimeoutError(entry.jobTimeoutSeconds);
  });
  const work = Promise.resolve().then(() =>
    deps.codeUnit.run({
      runId: lease.runId,
      trigger: lease.trigger,
      attempt: lease.attempt,
      entry,
      clock: deps.clock,
      deadline: new Date(Date.parse(lease.startedAt) + timeoutMs),
      signal: abort.signal,
      logger,
    }),
  );
  // Whichever loses the race settles later with nobody listening.
  work.catch(() => undefined);
  timedOut.catch(() => undefined);
  try {
    const value = await Promise.race([work, timedOut]);
    return { ok: true, counters: countersOf(value) };
  } catch (error) {
    if (error instanceof JobTimeoutError) abort.abort(error);
    return { ok: false, error };
  } finally {
    stopTimer.abort();
  }
}

/** Only finite numbers are kept: a code unit's result is not trusted to be well formed. */
function countersOf(value: CodeUnitResult | undefined): RunCounters {
  const counters: unknown = value?.counters;
  if (typeof counters !== 'object' || counters === null) return {};
  return Object.fromEntries(Object.entries(counters).filter((pair): pair is [string, number] => typeof pair[1] === 'number' && Number.isFinite(pair[1])));
}

/** Step 5. When the row is not InProcess any more, a stale-lease verdict was recorded: that one stands. */
async function completeRow(deps: RunnerDeps, started: RunLogEntry, result: Result, end: Date, logger: Logger): Promise<RunLogEntry> {
  const described = result.ok ? null : describeError(result.error);
  const row: RunLogEntry = {
    ...started,
    status: result.ok ? 'Success' : 'Error',
    finishedAt: end.toISOString(),
    durationMs: Math.max(0, end.getTime() - Date.parse(started.startedAt)),
    errorMessage: described?.message ?? null,
    errorStack: described?.stack ?? null,
    counters: result.ok ? result.counters : {},
  };
  try {
    return await deps.runs.complete(row);
  } catch (error) {
    const stored = await deps.runs.get(started.codeUnit, started.runId).catch(() => undefined);
    if (stored && stored.status !== 'InProcess') return stored;
    if (stored === undefined) {
      // The InProcess row was never written (the store failed at the start): write the result instead.
      try {
        await deps.runs.start(row);
        return row;
      } catch (startError) {
        logger.error('The run log could not be written.', { error: startError });
        return row;
      }
    }
    logger.error('The run log row could not be completed.', { error });
    return row;
  }
}

/**
 * Step 6: finish the entry, re-reading after a lost conditional write; undefined when the lease is
 * not ours any more. `previousStatus` is the lease's at the finish (an admin may have asked for OnHold meanwhile).
 */
async function finishEntry(
  deps: RunnerDeps,
  leased: JobQueueEntry,
  outcome: RunOutcome,
  result: Result,
  end: Date,
  random: () => number,
): Promise<{ readonly entry: JobQueueEntry; readonly previousStatus: EndedRun['previousStatus'] } | undefined> {
  let current: JobQueueEntry | undefined = leased;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    if (current === undefined || current.status !== 'InProcess' || current.lease?.runId !== outcome.runId) return undefined;
    // A manual run is one attempt: its failure is never retried (finishRun leaves the entry as it was).
    const verdict = result.ok || current.lease.trigger === 'manual' ? null : retryVerdict(current, current.lease.attempt, result.error, random);
    try {
      const entry = await deps.entries.update(finishRun(current, outcome, end, verdict), current.version);
      return { entry, previousStatus: current.lease.previousStatus };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      current = await deps.entries.get(leased.codeUnit);
    }
  }
  throw new Error(`The entry kept changing; run '${outcome.runId}' could not finish it.`);
}

/** The default cut-off timer: a real timeout, cleared when the run ends first. */
function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}
