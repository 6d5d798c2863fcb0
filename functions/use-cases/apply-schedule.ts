import type { JobQueueEntry } from '../domain/job-queue-entry.js';
import { desiredSchedule } from '../domain/schedule.js';
import type { Logger } from '../ports/logger.js';
import type { ScheduleGateway } from '../ports/schedule-gateway.js';

/**
 * Puts the schedule the entry should have. The entry is the source of truth and is always written
 * first; when the schedule cannot follow, the failure is logged and the reconciler repairs the drift
 * on its next pass, so the caller's change (already stored) is not reported as failed.
 * Returns whether the schedule was put.
 */
export async function applySchedule(deps: { readonly schedules: ScheduleGateway; readonly logger: Logger }, entry: JobQueueEntry): Promise<boolean> {
  try {
    await deps.schedules.put(desiredSchedule(entry));
    return true;
  } catch (error) {
    deps.logger.error('The schedule was not updated; the reconciler will repair it.', { codeUnit: entry.codeUnit, error });
    return false;
  }
}
