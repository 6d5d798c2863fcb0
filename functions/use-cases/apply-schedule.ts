import type { JobQueueEntry } from '../domain/job-queue-entry.js';
import { desiredSchedule } from '../domain/schedule.js';
import type { ScheduleGateway } from '../ports/schedule-gateway.js';

/**
 * Puts the schedule the entry should have. The entry is the source of truth and is always written
 * first; when the schedule cannot follow, the failure is logged and the reconciler repairs the drift
 * on its next pass, so the caller's change (already stored) is not reported as failed.
 * Returns whether the schedule was put.
 */
export async function applySchedule(schedules: ScheduleGateway, entry: JobQueueEntry): Promise<boolean> {
  try {
    await schedules.put(desiredSchedule(entry));
    return true;
  } catch (error) {
    console.error(`Schedule of '${entry.codeUnit}' not updated; the reconciler will repair it.`, error);
    return false;
  }
}
