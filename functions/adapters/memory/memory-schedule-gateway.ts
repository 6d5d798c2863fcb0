import { CODE_UNIT_IDS, type CodeUnitId } from '../../domain/catalogue.js';
import type { ActualSchedule, DesiredSchedule, ScheduleGateway } from '../../ports/schedule-gateway.js';

/**
 * Schedules in a Map, for unit tests of the use cases: what was put is what is read, nothing fires.
 * Values are cloned on the way in and out. `writes` counts puts and removes, so a test can tell
 * that a use case left a schedule alone.
 */
export class MemoryScheduleGateway implements ScheduleGateway {
  readonly #schedules = new Map<CodeUnitId, ActualSchedule>();
  #writes = 0;

  get writes(): number {
    return this.#writes;
  }

  async put(schedule: DesiredSchedule): Promise<void> {
    this.#writes += 1;
    this.#schedules.set(schedule.codeUnit, structuredClone({ ...schedule, name: schedule.codeUnit }));
  }

  async get(codeUnit: CodeUnitId): Promise<ActualSchedule | undefined> {
    const stored = this.#schedules.get(codeUnit);
    return stored && structuredClone(stored);
  }

  async list(): Promise<ActualSchedule[]> {
    return CODE_UNIT_IDS.flatMap((id) => {
      const stored = this.#schedules.get(id);
      return stored ? [structuredClone(stored)] : [];
    });
  }

  async remove(codeUnit: CodeUnitId): Promise<void> {
    this.#writes += 1;
    this.#schedules.delete(codeUnit);
  }
}
