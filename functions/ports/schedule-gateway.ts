import type { CodeUnitId } from '../domain/catalogue.js';
import type { DesiredSchedule } from '../domain/schedule.js';

export type { DesiredSchedule, ScheduleInput, ScheduleState } from '../domain/schedule.js';

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
