import type { CodeUnitId } from './catalogue.js';
import type { EntrySettings, JobQueueEntry, Recurrence, RunTrigger } from './job-queue-entry.js';

/*
 * Next-run calculation (Business Central rules, in the entry's time zone) and the schedule an
 * entry should have. Pure: every instant is passed in.
 *
 * TODO(domain helper): implement; the signatures are the contract other modules build on.
 */

/** The payload a schedule delivers to a code unit's function. */
export interface ScheduleInput {
  readonly codeUnit: CodeUnitId;
  readonly entryId: string;
  readonly trigger: Exclude<RunTrigger, 'manual'>;
  /** UTC ISO-8601 of the slot this schedule fires for. */
  readonly scheduledFor: string;
}

export type ScheduleState = 'ENABLED' | 'DISABLED';

/** The schedule an entry should have. */
export interface DesiredSchedule {
  readonly codeUnit: CodeUnitId;
  readonly state: ScheduleState;
  /** EventBridge Scheduler expression, e.g. `at(2026-03-29T03:00:00)`. */
  readonly expression: string;
  /** IANA zone the expression is read in. */
  readonly timeZone: string;
  readonly input: ScheduleInput;
}

export type RecurrenceSettings = Pick<EntrySettings, 'recurrence' | 'earliestStartAt' | 'expiresAt' | 'timeZone'>;

/**
 * The next run after a run that ended at `after`: after + minutesBetweenRuns, pushed into the
 * daily window and onto an allowed weekday, never before earliestStartAt; null when that is past expiresAt.
 */
export function computeNextRun(_settings: RecurrenceSettings, _after: Date): Date | null {
  throw new Error('not implemented');
}

/** The first run when an entry is set Ready at `now`: max(now, earliestStartAt) pushed into the window. */
export function computeInitialRun(_settings: RecurrenceSettings, _now: Date): Date | null {
  throw new Error('not implemented');
}

/** The next `count` run times from `from`, for the entry card (each assumes the previous run takes no time). */
export function previewRuns(_settings: RecurrenceSettings, _from: Date, _count: number): Date[] {
  throw new Error('not implemented');
}

/** Whether `at` lies inside the allowed weekdays and daily window. */
export function isWithinWindow(_recurrence: Recurrence, _timeZone: string, _at: Date): boolean {
  throw new Error('not implemented');
}

/**
 * EventBridge `at()` expression for an instant: local wall time in `timeZone`, or UTC when the
 * wall time is ambiguous or does not exist (daylight-saving changes).
 */
export function atExpression(_at: Date, _timeZone: string): { expression: string; timeZone: string } {
  throw new Error('not implemented');
}

/**
 * The schedule an entry should have: ENABLED exactly while the entry is Ready or InProcess
 * (InProcess is a lease on a Ready entry) and has a next run; DISABLED otherwise.
 */
export function desiredSchedule(_entry: JobQueueEntry): DesiredSchedule {
  throw new Error('not implemented');
}
