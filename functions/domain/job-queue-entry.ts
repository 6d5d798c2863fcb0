import type { CodeUnitId } from './catalogue.js';

/** Europe/Warsaw is the business time zone: schedules and business rules use it, storage is UTC ISO-8601. */
export const BUSINESS_TIME_ZONE = 'Europe/Warsaw';

export const ENTRY_STATUSES = ['Ready', 'OnHold', 'InProcess', 'Error'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export const EntryStatus = {
  Ready: 'Ready',
  OnHold: 'OnHold',
  InProcess: 'InProcess',
  Error: 'Error',
} as const satisfies Record<EntryStatus, EntryStatus>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const LANGUAGES = ['pl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface NotificationRecipient {
  readonly email: string;
  readonly language: Language;
}

/** Business Central-style recurrence: minutes between runs, measured from the end of the previous run. */
export interface Recurrence {
  /** Minutes between runs (1 … 10080). Default 1440. */
  readonly minutesBetweenRuns: number;
  /** Weekdays on which the entry may run. Default: all seven. */
  readonly runOnWeekdays: readonly Weekday[];
  /** Daily window start, local `HH:mm` in the entry's time zone; null = from midnight. */
  readonly startingTime: string | null;
  /** Daily window end, local `HH:mm`; may be earlier than startingTime (window wraps midnight); null = to midnight. */
  readonly endingTime: string | null;
}

/** What an admin may edit. */
export interface EntrySettings {
  readonly description: string;
  readonly recurrence: Recurrence;
  /** UTC ISO-8601; the entry never runs before it. */
  readonly earliestStartAt: string | null;
  /** UTC ISO-8601; after it the entry no longer runs. */
  readonly expiresAt: string | null;
  /** Attempts per run, the first one included (1 = no retry). 1 … 10, default 3. */
  readonly maxAttempts: number;
  /** Base delay before a retry, seconds, 0 … 3600, default 60. */
  readonly rerunDelaySeconds: number;
  /** A run that takes longer is treated as failed (stale lease). Seconds, 10 … 900, default 600. */
  readonly jobTimeoutSeconds: number;
  /** Automatic restart after the final failure: back to Ready at the next scheduled slot. Default true. */
  readonly autoRestart: boolean;
  readonly notificationRecipients: readonly NotificationRecipient[];
  /** IANA time zone of the schedule; always Europe/Warsaw today, stored so that it is explicit. */
  readonly timeZone: string;
}

/** `restart`: the automatic restart of an entry in Error at its next scheduled slot (autoRestart). */
export const RUN_TRIGGERS = ['schedule', 'retry', 'manual', 'restart'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The lease a run holds on its entry while the entry is InProcess. */
export interface RunLease {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly attempt: number;
  readonly startedAt: string;
  /** startedAt + jobTimeout; after it the lease is stale. */
  readonly expiresAt: string;
  /** The status to go back to when the run ends (Ready for scheduled runs; OnHold/Error for manual runs). */
  readonly previousStatus: Exclude<EntryStatus, 'InProcess'>;
}

export interface JobQueueEntry extends EntrySettings {
  readonly codeUnit: CodeUnitId;
  /** Random id; a deleted and re-created entry gets a new one. */
  readonly id: string;
  readonly status: EntryStatus;
  /**
   * UTC ISO-8601 of the next scheduled run; null while On Hold or when expired. In Error it is the
   * pending automatic restart (with nextRunTrigger `restart`), else null.
   */
  readonly nextRunAt: string | null;
  /** Trigger of the next scheduled run: `retry` after a failed attempt, `restart` for an automatic restart, else `schedule`. */
  readonly nextRunTrigger: Exclude<RunTrigger, 'manual'>;
  /** Attempts used in the current failure streak (0 after a success or a set-Ready). */
  readonly attemptsMade: number;
  readonly lease: RunLease | null;
  readonly lastRun: {
    readonly runId: string;
    readonly status: RunStatus;
    readonly finishedAt: string;
    readonly errorMessage: string | null;
  } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Who changed it last: an API caller's identity, or `system:<component>`. */
  readonly updatedBy: string;
  /** Optimistic-locking version; every write increments it. */
  readonly version: number;
}

export const RUN_STATUSES = ['InProcess', 'Success', 'Error', 'Skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunCounters = Readonly<Record<string, number>>;

/** One row of an entry's run log (Business Central's Job Queue Log Entry). */
export interface RunLogEntry {
  readonly codeUnit: CodeUnitId;
  readonly entryId: string;
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly attempt: number;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** The slot the schedule fired for, when the trigger was the schedule or a retry. */
  readonly scheduledFor: string | null;
  readonly errorMessage: string | null;
  readonly errorStack: string | null;
  /** Why a trigger was skipped (lease taken, not due, entry not Ready …). */
  readonly skipReason: string | null;
  readonly counters: RunCounters;
}
