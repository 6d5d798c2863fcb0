import { IllegalTransitionError } from './errors.js';
import type { EntrySettings, JobQueueEntry, RunCounters, RunLease, RunTrigger } from './job-queue-entry.js';
import { computeInitialRun, computeNextRun } from './schedule.js';

/*
 * The job queue entry's state machine (Business Central's Job Queue Entry, section 1.2 of the
 * anchors). Every function is pure and returns a new entry; the version is left to the repository,
 * which stores `expectedVersion + 1`. An illegal move throws IllegalTransitionError.
 *
 *   OnHold ──moveToReady──▶ Ready ──acquireLease(schedule|retry|manual)──▶ InProcess ──finishRun──▶ Ready | Error
 *   Error  ──moveToReady──▶ Ready          (previousStatus = Ready)
 *   OnHold | Error ──acquireLease(manual)──▶ InProcess ──finishRun──▶ back to OnHold | Error
 *   Ready ──acquireLease(manual)──▶ InProcess ──finishRun──▶ Ready (failure: status, attempts and slot as before)
 *   Error (restart due) ──acquireLease(restart)──▶ Ready, attempts reset ──▶ InProcess   (one write)
 *   Ready | Error ──moveToOnHold──▶ OnHold;  InProcess ──moveToOnHold──▶ InProcess, goes OnHold when the run ends
 *
 * Decisions (and why):
 * - InProcess is a lease on the entry, not a state of its own: the lease remembers where the entry
 *   returns. A manual run ("run now") may start from Ready, OnHold or Error and returns there: an
 *   admin's hold is never lifted by a run, and an entry in Error leaves Error only by its automatic
 *   restart or by an admin setting it Ready (a successful run now shows that the cause is fixed;
 *   the pending restart, or the set-Ready, then puts the queue back on its schedule).
 * - A manual run never shifts the schedule (Business Central's "Run once": a one-off copy that
 *   leaves the entry alone). It is ONE attempt that the admin who started it watches:
 *   - its failure is recorded (run-log row with message and stack, lastRun) and nothing else: it is
 *     not retried, it does not count as an attempt, it does not put the entry in Error and it does
 *     not mail (see notificationOutcomeOf: only a failure that leaves the entry in Error is final).
 *     The entry keeps its status, attemptsMade, nextRunAt and nextRunTrigger: a Ready entry keeps
 *     its 03:00 slot, a pending retry or restart stays pending, OnHold stays OnHold. Retrying it, or
 *     restarting at "run end + interval", would turn a daily 03:00 job into a daily 23:08 job
 *     because an admin pressed "run now" once;
 *   - its success on a Ready entry is a run of the queue: attempts reset, a pending retry is no longer
 *     needed, and nextRunAt is kept while its slot is still ahead;
 *   - a slot that came while the manual run held the lease was skipped ("lease taken"). After a
 *     success on a Ready entry the manual run stands for it and the next run is computed from the
 *     run's end; otherwise the slot is still owed and runs at the first whole minute the window
 *     allows after the manual run (what the watchdog would do for a missed run, without its delay),
 *     with its own trigger (schedule, retry or restart).
 * - OnHold requested while InProcess is accepted: the run is not killed, the schedule is disabled at
 *   once (nextRunAt null) and the entry goes OnHold when the run ends. Stopping a queue must always
 *   be possible; Ready requested while InProcess is refused unless the run already returns to Ready.
 * - A stale lease (the run outlived its job timeout plus a grace period) is a failed attempt: with
 *   attempts left the entry is retried after the rerun delay, else it goes to Error.
 * - Automatic restart (autoRestart, N24's "Auto Restart on Error"): the final failure of a Ready
 *   entry puts it in Error and, when autoRestart is on, keeps its NEXT SCHEDULED SLOT (computeNextRun
 *   from the failure time) as nextRunAt with nextRunTrigger `restart`. Its schedule stays ENABLED for
 *   that slot (see desiredSchedule): the schedule is enabled while the entry is Ready, or in Error
 *   with an automatic restart pending. When the slot fires, acquireLease moves the entry back to
 *   Ready (attempts reset) and takes the lease in the same write; the run is logged with trigger
 *   `restart`. Retries are separate: they happen inside a run's attempts, the restart after them.
 *   OnHold always wins: moveToOnHold clears a pending restart, and an OnHold entry is never restarted.
 *   A manual run on an entry in Error keeps its pending restart, whatever its outcome.
 * - Ready with nextRunAt null means the entry has expired (nothing left to run); it stays Ready
 *   with its schedule disabled, so an admin sees why nothing runs.
 */

/** Who changes an entry: an API caller's identity or `system:<component>`. */
export type Actor = string;

/** The actor the run protocol writes as. */
export const RUNNER_ACTOR: Actor = 'system:runner';

/**
 * What the retry policy decided about a failed attempt (structurally the retry policy's own
 * decision, so this file needs no dependency on how it is computed).
 */
export type RetryVerdict =
  | { readonly retry: true; /** Wait before the next attempt. */ readonly delayMs: number }
  | { readonly retry: false };

export type RunOutcome =
  | { readonly kind: 'success'; readonly runId: string; readonly counters: RunCounters }
  | { readonly kind: 'failure'; readonly runId: string; readonly errorMessage: string };

/**
 * A lease is stale only after its expiry plus this grace: the run itself cuts its code unit off at
 * the job timeout and needs a moment to record that, and it should be the one that tells why.
 */
export const LEASE_GRACE_MS = 60_000;

/** Message recorded for a run whose lease went stale. */
export function staleLeaseMessage(entry: JobQueueEntry): string {
  return `The run did not finish within its job timeout (${entry.jobTimeoutSeconds} s); it crashed or was cut off.`;
}

function iso(at: Date): string {
  return at.toISOString();
}

function touched(now: Date, actor: Actor): Pick<JobQueueEntry, 'updatedAt' | 'updatedBy'> {
  return { updatedAt: iso(now), updatedBy: actor };
}

function isoOrNull(at: Date | null): string | null {
  return at === null ? null : iso(at);
}

/** OnHold/Error/Ready → Ready: attempts reset, first run at max(now, earliest start) in the window. */
export function moveToReady(entry: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  switch (entry.status) {
    case 'Ready':
      return entry;
    case 'InProcess':
      if (entry.lease?.previousStatus === 'Ready') return entry;
      throw new IllegalTransitionError('InProcess', 'Ready', 'The entry is running; set it Ready when the run has finished.');
    case 'OnHold':
    case 'Error':
      return {
        ...entry,
        status: 'Ready',
        attemptsMade: 0,
        nextRunAt: isoOrNull(computeInitialRun(entry, now)),
        nextRunTrigger: 'schedule',
        ...touched(now, actor),
      };
  }
}

/** Ready/Error/OnHold → OnHold (no next run); InProcess → goes OnHold when its run ends. */
export function moveToOnHold(entry: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  switch (entry.status) {
    case 'OnHold':
      return entry;
    case 'InProcess': {
      const lease = requireLease(entry, 'OnHold');
      if (lease.previousStatus === 'OnHold') return entry;
      return {
        ...entry,
        lease: { ...lease, previousStatus: 'OnHold' },
        nextRunAt: null,
        nextRunTrigger: 'schedule',
        ...touched(now, actor),
      };
    }
    case 'Ready':
    case 'Error':
      return { ...entry, status: 'OnHold', nextRunAt: null, nextRunTrigger: 'schedule', ...touched(now, actor) };
  }
}

function requireLease(entry: JobQueueEntry, to: string): RunLease {
  if (entry.lease === null) throw new IllegalTransitionError(entry.status, to, 'The entry is InProcess without a lease.');
  return entry.lease;
}

/** The attempt number a run started now would have. */
export function nextAttempt(entry: JobQueueEntry): number {
  return entry.attemptsMade + 1;
}

/**
 * Takes the lease for run `runId`: Ready → InProcess for every trigger; OnHold/Error → InProcess
 * for a manual run; Error with a pending restart → Ready → InProcess for its `restart` trigger.
 * The next run time is kept, so the schedule stays as it was.
 */
export function acquireLease(entry: JobQueueEntry, trigger: RunTrigger, runId: string, now: Date, actor: Actor = RUNNER_ACTOR): JobQueueEntry {
  const previousStatus = entry.status;
  if (previousStatus === 'InProcess') {
    throw new IllegalTransitionError('InProcess', 'InProcess', `The lease is taken by run '${entry.lease?.runId ?? 'unknown'}'.`);
  }
  if (previousStatus === 'Error' && trigger === 'restart' && hasPendingRestart(entry)) {
    return acquireLease(restartFromError(entry, now, actor), trigger, runId, now, actor);
  }
  if (previousStatus !== 'Ready' && trigger !== 'manual') {
    throw new IllegalTransitionError(previousStatus, 'InProcess', `A ${trigger} run needs a Ready entry; the entry is ${previousStatus}.`);
  }
  const lease: RunLease = {
    runId,
    trigger,
    attempt: nextAttempt(entry),
    startedAt: iso(now),
    expiresAt: iso(new Date(now.getTime() + entry.jobTimeoutSeconds * 1000)),
    previousStatus,
  };
  return { ...entry, status: 'InProcess', lease, ...touched(now, actor) };
}

/** Whether the entry's run has outlived its job timeout (plus LEASE_GRACE_MS). */
export function isLeaseStale(entry: JobQueueEntry, now: Date): boolean {
  if (entry.status !== 'InProcess') return false;
  if (entry.lease === null) return true;
  return now.getTime() > Date.parse(entry.lease.expiresAt) + LEASE_GRACE_MS;
}

function lastRunOf(outcome: RunOutcome, now: Date): JobQueueEntry['lastRun'] {
  return {
    runId: outcome.runId,
    status: outcome.kind === 'success' ? 'Success' : 'Error',
    finishedAt: iso(now),
    errorMessage: outcome.kind === 'success' ? null : outcome.errorMessage,
  };
}

/**
 * Ends the run that holds the lease. Back to the lease's previousStatus. A manual run: see
 * finishManualRun. Otherwise, for a Ready entry: success → next run, attempts reset; failure → retry
 * after `retry.delayMs` (trigger `retry`) or, on the final failure, Error. `retry` is consulted only
 * for a failure of a scheduled, retry or restart run that returns to Ready.
 */
export function finishRun(entry: JobQueueEntry, outcome: RunOutcome, now: Date, retry: RetryVerdict | null, actor: Actor = RUNNER_ACTOR): JobQueueEntry {
  if (entry.status !== 'InProcess') {
    throw new IllegalTransitionError(entry.status, 'finished', `Run '${outcome.runId}' cannot finish: the entry is ${entry.status}.`);
  }
  const lease = requireLease(entry, 'finished');
  if (lease.runId !== outcome.runId) {
    throw new IllegalTransitionError('InProcess', 'finished', `Run '${outcome.runId}' does not hold the lease; run '${lease.runId}' does.`);
  }
  const base: JobQueueEntry = { ...entry, lease: null, lastRun: lastRunOf(outcome, now), ...touched(now, actor) };

  if (lease.previousStatus === 'OnHold') {
    // OnHold before the run, or asked for during it: no next run, whoever started the run.
    return { ...base, status: 'OnHold', nextRunAt: null, nextRunTrigger: 'schedule' };
  }
  // Only a manual run leases an entry in Error (a restart makes it Ready first).
  if (lease.trigger === 'manual' || lease.previousStatus === 'Error') return finishManualRun(entry, lease.previousStatus, base, outcome, now);
  if (outcome.kind === 'success') {
    return { ...base, status: 'Ready', attemptsMade: 0, nextRunAt: isoOrNull(computeNextRun(entry, now)), nextRunTrigger: 'schedule' };
  }
  if (retry === null) {
    throw new IllegalTransitionError('InProcess', 'finished', 'A failed run of a Ready entry needs a retry decision.');
  }
  if (retry.retry) {
    return {
      ...base,
      status: 'Ready',
      attemptsMade: lease.attempt,
      nextRunAt: iso(new Date(now.getTime() + Math.max(0, retry.delayMs))),
      nextRunTrigger: 'retry',
    };
  }
  return { ...base, status: 'Error', attemptsMade: lease.attempt, ...restartAfterFailure(entry, now) };
}

/**
 * The end of a manual run on an entry that was Ready or in Error (see "A manual run never shifts
 * the schedule" above): only a success on a Ready entry changes its run state; anything else
 * leaves status, attempts and slot as they were before the run (an owed slot moved to now).
 */
function finishManualRun(entry: JobQueueEntry, returnsTo: 'Ready' | 'Error', base: JobQueueEntry, outcome: RunOutcome, now: Date): JobQueueEntry {
  if (returnsTo === 'Ready' && outcome.kind === 'success') {
    const slotAhead = entry.nextRunAt !== null && entry.nextRunTrigger === 'schedule' && Date.parse(entry.nextRunAt) > now.getTime();
    return {
      ...base,
      status: 'Ready',
      attemptsMade: 0,
      nextRunAt: slotAhead ? entry.nextRunAt : isoOrNull(computeNextRun(entry, now)),
      nextRunTrigger: 'schedule',
    };
  }
  return { ...base, status: returnsTo, attemptsMade: entry.attemptsMade, ...slotKeptAfterManualRun(entry, returnsTo, now) };
}

/**
 * The entry's next run as it was before a manual run. A slot that came during the run (its trigger
 * found the lease taken) is still owed: it moves to the first whole minute the window allows, with
 * its trigger, so that it runs now instead of waiting for the watchdog. An entry in Error has a next
 * run only for its pending restart.
 */
function slotKeptAfterManualRun(entry: JobQueueEntry, returnsTo: 'Ready' | 'Error', now: Date): Pick<JobQueueEntry, 'nextRunAt' | 'nextRunTrigger'> {
  const { nextRunAt, nextRunTrigger } = entry;
  if (nextRunAt === null || (returnsTo === 'Error' && nextRunTrigger !== 'restart')) return { nextRunAt: null, nextRunTrigger: 'schedule' };
  if (Date.parse(nextRunAt) > now.getTime()) return { nextRunAt, nextRunTrigger };
  const owed = computeInitialRun(entry, now);
  return owed === null ? { nextRunAt: null, nextRunTrigger: 'schedule' } : { nextRunAt: iso(owed), nextRunTrigger };
}

/** The pending restart of an entry that failed finally at `failedAt`: its next scheduled slot, or none. */
function restartAfterFailure(entry: JobQueueEntry, failedAt: Date): Pick<JobQueueEntry, 'nextRunAt' | 'nextRunTrigger'> {
  const slot = entry.autoRestart ? computeNextRun(entry, failedAt) : null;
  return slot === null ? { nextRunAt: null, nextRunTrigger: 'schedule' } : { nextRunAt: iso(slot), nextRunTrigger: 'restart' };
}

/** Whether the entry is in Error with an automatic restart pending (its schedule is then enabled). */
export function hasPendingRestart(entry: JobQueueEntry): boolean {
  return entry.status === 'Error' && entry.nextRunTrigger === 'restart' && entry.nextRunAt !== null;
}

/**
 * Error → Ready for the automatic restart: attempts reset, the restart slot kept as the next run
 * (trigger `restart`), so that the lease taken next is the restart's. Refused unless a restart is
 * pending: an entry an admin put OnHold, or one whose restart was cancelled, is never restarted.
 */
export function restartFromError(entry: JobQueueEntry, now: Date, actor: Actor = RUNNER_ACTOR): JobQueueEntry {
  if (!hasPendingRestart(entry)) {
    throw new IllegalTransitionError(entry.status, 'Ready', 'Only an entry in Error with an automatic restart pending is restarted.');
  }
  return { ...entry, status: 'Ready', attemptsMade: 0, ...touched(now, actor) };
}

/**
 * The watchdog's repair of a restart that did not happen (its slot passed more than a grace ago:
 * a lost delivery, a schedule that was missing): Error → Ready now, attempts reset, the run once as
 * soon as the window allows, still logged as a restart. Refused unless a restart is pending.
 */
export function restartMissed(entry: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  const restarted = restartFromError(entry, now, actor);
  return { ...restarted, nextRunAt: isoOrNull(computeInitialRun(entry, now)), nextRunTrigger: 'restart' };
}

/**
 * An entry in Error with autoRestart on but no restart pending (autoRestart switched on after the
 * failure, or a failure recorded without one): its restart slot is the next scheduled slot after the
 * last run ended, or the first one from now when that has passed. Unchanged in any other case.
 */
export function withRestartScheduled(entry: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  if (entry.status !== 'Error' || !entry.autoRestart || hasPendingRestart(entry)) return entry;
  const failedAt = entry.lastRun === null ? now : new Date(entry.lastRun.finishedAt);
  const afterFailure = computeNextRun(entry, failedAt);
  const slot = afterFailure !== null && afterFailure.getTime() >= now.getTime() ? afterFailure : computeInitialRun(entry, now);
  if (slot === null) return entry;
  return { ...entry, nextRunAt: iso(slot), nextRunTrigger: 'restart', ...touched(now, actor) };
}

/** Ends a stale lease as a failed attempt (see finishRun); throws unless the lease is stale. */
export function expireStaleLease(entry: JobQueueEntry, now: Date, retry: RetryVerdict | null): JobQueueEntry {
  if (!isLeaseStale(entry, now)) {
    throw new IllegalTransitionError(entry.status, 'Error', 'Only a stale lease can be expired.');
  }
  if (entry.lease === null) {
    // Should never be stored; recover it to Error so that an admin looks at it.
    return { ...entry, status: 'Error', nextRunAt: null, nextRunTrigger: 'schedule', ...touched(now, RUNNER_ACTOR) };
  }
  return finishRun(entry, { kind: 'failure', runId: entry.lease.runId, errorMessage: staleLeaseMessage(entry) }, now, retry, 'system:stale-lease');
}

/** Delete is refused while InProcess (Business Central's OnDelete). */
export function canDelete(entry: JobQueueEntry): boolean {
  return entry.status !== 'InProcess';
}

const RECURRENCE_FIELDS = ['recurrence', 'earliestStartAt', 'expiresAt', 'timeZone'] as const satisfies readonly (keyof EntrySettings)[];

function recurrenceChanged(before: EntrySettings, after: EntrySettings): boolean {
  return RECURRENCE_FIELDS.some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/**
 * New settings for an entry (any status but InProcess). A Ready entry whose recurrence changed gets
 * its next run recomputed: from the end of its last run when that is still ahead, else from now; a
 * pending retry is kept. An entry in Error follows its autoRestart: switched off, a pending restart
 * is cancelled; switched on (or a new recurrence), the restart is (re)computed. Other changes keep
 * the next run.
 */
export function withSettings(entry: JobQueueEntry, settings: EntrySettings, now: Date, actor: Actor): JobQueueEntry {
  if (entry.status === 'InProcess') {
    throw new IllegalTransitionError('InProcess', 'InProcess', 'Settings cannot change while the entry is running; try again when the run has finished.');
  }
  const next: JobQueueEntry = { ...entry, ...settings, ...touched(now, actor) };
  if (entry.status === 'Error') return errorWithSettings(entry, next, now, actor);
  if (entry.status !== 'Ready' || entry.nextRunTrigger === 'retry' || !recurrenceChanged(entry, settings)) return next;
  return { ...next, nextRunAt: isoOrNull(recomputedRun(next, now)) };
}

/** In Error: autoRestart off cancels a pending restart; on, or a new recurrence, (re)computes it. */
function errorWithSettings(before: JobQueueEntry, next: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  if (!next.autoRestart) return { ...next, nextRunAt: null, nextRunTrigger: 'schedule' };
  if (before.autoRestart && hasPendingRestart(before) && !recurrenceChanged(before, next)) return next;
  return withRestartScheduled({ ...next, nextRunAt: null, nextRunTrigger: 'schedule' }, now, actor);
}

function recomputedRun(entry: JobQueueEntry, now: Date): Date | null {
  const afterLastRun = entry.lastRun === null ? null : computeNextRun(entry, new Date(entry.lastRun.finishedAt));
  if (afterLastRun !== null && afterLastRun.getTime() > now.getTime()) return afterLastRun;
  return computeInitialRun(entry, now);
}

/** A Ready entry whose run was missed: run it once as soon as the window allows (never a burst). */
export function rescheduleMissedRun(entry: JobQueueEntry, now: Date, actor: Actor): JobQueueEntry {
  if (entry.status !== 'Ready') {
    throw new IllegalTransitionError(entry.status, 'Ready', 'Only a Ready entry can be rescheduled.');
  }
  const run = computeInitialRun(entry, now);
  return { ...entry, nextRunAt: isoOrNull(run), ...touched(now, actor) };
}
