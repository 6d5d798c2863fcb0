import type { CodeUnitId } from '../domain/catalogue.js';
import type { RunTrigger } from '../domain/job-queue-entry.js';

/** The payload a schedule delivers to a code unit's function. */
export interface ScheduleInput {
  readonly codeUnit: CodeUnitId;
  readonly entryId: string;
  readonly trigger: Exclude<RunTrigger, 'manual'>;
  /** UTC ISO-8601 of the slot this schedule fires for. */
  readonly scheduledFor: string;
}

export type ScheduleState = 'ENABLED' | 'DISABLED';

/** The schedule an entry should have; derived purely from the entry (see domain/schedule.ts). */
export interface DesiredSchedule {
  readonly codeUnit: CodeUnitId;
  readonly state: ScheduleState;
  /** EventBridge Scheduler expression, e.g. `at(2026-03-29T03:00:00)`. */
  readonly expression: string;
  /** IANA zone the expression is read in. */
  readonly timeZone: string;
  readonly input: ScheduleInput;
}

export interface ActualSchedule extends DesiredSchedule {
  readonly name: string;
}

/**
 * One schedule per entry, named after its code unit, in the system's schedule group.
 * `put` creates or replaces (idempotent); `remove` is idempotent.
 */
export interface ScheduleGateway {
  put(schedule: DesiredSchedule): Promise<void>;
  get(codeUnit: CodeUnitId): Promise<ActualSchedule | undefined>;
  list(): Promise<ActualSchedule[]>;
  remove(codeUnit: CodeUnitId): Promise<void>;
}
