import type { CodeUnitId } from './catalogue.js';

/*
 * When a queue's on-call recipients get an e-mail. The rules (issue 5, N24 Advanced Queues, and
 * what operators ask for: "notify once, then again on recovery"):
 *
 * - Only a FINAL failure mails: the run used its last attempt (or failed with a non-retryable
 *   error) and the entry went to Error. A failed attempt that the runner retries by itself does
 *   not mail and does not change the state: retries are minutes apart and usually heal; mailing
 *   each one is exactly the flood admins complain about. They stay visible in the run log.
 * - At most one failure e-mail per queue per notification interval (default 60 minutes). The
 *   interval is per queue and holds across failure streaks: a queue that flaps (fails, recovers,
 *   fails) inside the interval gets no second failure e-mail; its next final failure after the
 *   interval mails again. Failures that were not mailed are counted and reported in the next one.
 * - A recovery e-mail when a run succeeds after a failure streak about which a failure e-mail was
 *   sent. A streak nobody was told about ends silently; a success with no streak changes nothing.
 * - The same run is applied once: a repeated notice for `lastRunId` decides nothing.
 */

export const RUN_NOTIFICATION_OUTCOMES = ['final-failure', 'retry-scheduled', 'success'] as const;
export type RunNotificationOutcome = (typeof RUN_NOTIFICATION_OUTCOMES)[number];

export const NOTIFICATION_KINDS = ['failure', 'recovery'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DEFAULT_NOTIFICATION_INTERVAL_MINUTES = 60;
/** One week: a longer interval would hide a queue that stays broken. */
export const MAX_NOTIFICATION_INTERVAL_MINUTES = 10_080;

/** What the system remembers about a queue's e-mails; one per code unit. */
export interface QueueNotificationState {
  readonly codeUnit: CodeUnitId;
  /** UTC ISO-8601 of the first final failure of the current streak; null while the queue is healthy. */
  readonly failingSince: string | null;
  /** Final failures in the current streak. */
  readonly consecutiveFailures: number;
  /** Whether a failure e-mail was sent during the current streak (a recovery e-mail is owed). */
  readonly failureEmailSentInStreak: boolean;
  /** UTC ISO-8601 of the last failure e-mail, across streaks; the interval is measured from it. */
  readonly lastFailureEmailAt: string | null;
  /** Final failures since the last failure e-mail that were not mailed because of the interval. */
  readonly unmailedFailures: number;
  readonly lastRecoveryEmailAt: string | null;
  /** The last run whose outcome was applied; a repeated notice for it is ignored. */
  readonly lastRunId: string | null;
  /** Optimistic-locking version; 0 = never stored. */
  readonly version: number;
}

export function initialNotificationState(codeUnit: CodeUnitId): QueueNotificationState {
  return {
    codeUnit,
    failingSince: null,
    consecutiveFailures: 0,
    failureEmailSentInStreak: false,
    lastFailureEmailAt: null,
    unmailedFailures: 0,
    lastRecoveryEmailAt: null,
    lastRunId: null,
    version: 0,
  };
}

export interface NotificationInput {
  readonly outcome: RunNotificationOutcome;
  readonly runId: string;
  readonly state: QueueNotificationState;
  readonly now: Date;
  readonly intervalMinutes: number;
}

export interface NotificationDecision {
  /** The e-mail to send, or null. */
  readonly send: NotificationKind | null;
  /** Why, in a sentence for logs and tests. */
  readonly reason: string;
  /** The state to store (same version as the input: the store increments it). */
  readonly next: QueueNotificationState;
  /** False when nothing changed and no write is needed (the common case: a success while healthy). */
  readonly changed: boolean;
  /** Final failures that were not mailed before this failure e-mail (0 otherwise). */
  readonly unmailedBefore: number;
}

export function checkNotificationInterval(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_NOTIFICATION_INTERVAL_MINUTES) {
    throw new RangeError(`The notification interval must be a whole number of minutes from 1 to ${MAX_NOTIFICATION_INTERVAL_MINUTES}, got ${minutes}.`);
  }
  return minutes;
}

/** Decides what to send for one run outcome and what the queue's state becomes. */
export function decideNotification(input: NotificationInput): NotificationDecision {
  const { outcome, runId, state, now } = input;
  const intervalMinutes = checkNotificationInterval(input.intervalMinutes);
  const unchanged = (reason: string): NotificationDecision => ({ send: null, reason, next: state, changed: false, unmailedBefore: 0 });

  if (state.lastRunId === runId) return unchanged(`run ${runId} was already applied`);

  switch (outcome) {
    case 'retry-scheduled':
      return unchanged('a failed attempt that will be retried does not mail');
    case 'success':
      return decideSuccess(state, runId, now, unchanged);
    case 'final-failure':
      return decideFailure(state, runId, now, intervalMinutes);
  }
}

function decideSuccess(
  state: QueueNotificationState,
  runId: string,
  now: Date,
  unchanged: (reason: string) => NotificationDecision,
): NotificationDecision {
  if (state.failingSince === null && !state.failureEmailSentInStreak) return unchanged('the queue was healthy');
  const healthy: QueueNotificationState = {
    ...state,
    failingSince: null,
    consecutiveFailures: 0,
    failureEmailSentInStreak: false,
    unmailedFailures: 0,
    lastRunId: runId,
  };
  if (!state.failureEmailSentInStreak) {
    return { send: null, reason: 'the failure streak ended before anyone was e-mailed about it', next: healthy, changed: true, unmailedBefore: 0 };
  }
  return {
    send: 'recovery',
    reason: `the queue recovered after ${state.consecutiveFailures} failed run(s)`,
    next: { ...healthy, lastRecoveryEmailAt: now.toISOString() },
    changed: true,
    unmailedBefore: 0,
  };
}

function decideFailure(state: QueueNotificationState, runId: string, now: Date, intervalMinutes: number): NotificationDecision {
  const failing: QueueNotificationState = {
    ...state,
    failingSince: state.failingSince ?? now.toISOString(),
    consecutiveFailures: state.consecutiveFailures + 1,
    lastRunId: runId,
  };
  const mailableFrom = state.lastFailureEmailAt === null ? null : Date.parse(state.lastFailureEmailAt) + intervalMinutes * 60_000;
  if (mailableFrom !== null && now.getTime() < mailableFrom) {
    return {
      send: null,
      reason: `a failure e-mail was sent at ${state.lastFailureEmailAt}; the next one may go at ${new Date(mailableFrom).toISOString()}`,
      next: { ...failing, unmailedFailures: state.unmailedFailures + 1 },
      changed: true,
      unmailedBefore: 0,
    };
  }
  return {
    send: 'failure',
    reason: state.lastFailureEmailAt === null ? 'first failure e-mail for this queue' : `the notification interval of ${intervalMinutes} minutes has passed`,
    next: { ...failing, failureEmailSentInStreak: true, lastFailureEmailAt: now.toISOString(), unmailedFailures: 0 },
    changed: true,
    unmailedBefore: state.unmailedFailures,
  };
}

/**
 * The outcome to notify about, from what the runner knows when a run has ended; null = nothing to
 * notify (a skipped trigger, or a manual run on an entry that was OnHold or in Error: the admin who
 * started it reads the result, and such a run neither retries nor changes the entry's status).
 * A failure is final only when it left the entry in Error; a failed run after which the entry is
 * neither retried nor in Error is a failed manual run ("run now" leaves status and schedule as they
 * were, see transitions.ts): the admin watches it, and the queue's own runs go on, so nobody is mailed.
 */
export function notificationOutcomeOf(run: {
  /** Where the lease said the entry returns (`lease.previousStatus` before the run finished). */
  readonly previousStatus: 'Ready' | 'OnHold' | 'Error';
  /** The completed run-log row's status. */
  readonly runStatus: 'InProcess' | 'Success' | 'Error' | 'Skipped';
  /** The entry as stored after the run. */
  readonly entryAfter: { readonly status: string; readonly nextRunTrigger: string };
}): RunNotificationOutcome | null {
  if (run.previousStatus !== 'Ready') return null;
  if (run.runStatus === 'Success') return 'success';
  if (run.runStatus !== 'Error') return null;
  if (run.entryAfter.status === 'Error') return 'final-failure';
  return run.entryAfter.status === 'Ready' && run.entryAfter.nextRunTrigger === 'retry' ? 'retry-scheduled' : null;
}

/**
 * The state to keep when a decided e-mail did not go out (no recipient, or the mail service refused
 * it): the streak is still counted, but the mail is still owed, so the next final failure may mail
 * at once instead of waiting for an interval that no e-mail started.
 */
export function stateWithoutMail(previous: QueueNotificationState, decision: NotificationDecision): QueueNotificationState {
  switch (decision.send) {
    case 'failure':
      return {
        ...decision.next,
        failureEmailSentInStreak: previous.failureEmailSentInStreak,
        lastFailureEmailAt: previous.lastFailureEmailAt,
        unmailedFailures: previous.unmailedFailures + 1,
      };
    case 'recovery':
      // The streak is over either way; a recovery e-mail that failed is not tried again.
      return { ...decision.next, lastRecoveryEmailAt: previous.lastRecoveryEmailAt };
    case null:
      return decision.next;
  }
}
