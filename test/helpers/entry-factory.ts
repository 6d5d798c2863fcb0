import type { CodeUnitId } from '../../functions/domain/catalogue.js';
import type { JobQueueEntry } from '../../functions/domain/job-queue-entry.js';

/**
 * A valid job queue entry with the catalogue defaults (On Hold, every 1440 minutes, all weekdays),
 * built literally so that tests do not depend on the code under test; override what matters.
 */
export function makeEntry(overrides: Partial<JobQueueEntry> = {}): JobQueueEntry {
  const codeUnit: CodeUnitId = overrides.codeUnit ?? 'send-documents';
  return {
    codeUnit,
    id: `entry-${codeUnit}`,
    description: 'Sends pending sales invoices (FA(3) XML) to KSeF.',
    recurrence: {
      minutesBetweenRuns: 1440,
      runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      startingTime: null,
      endingTime: null,
    },
    earliestStartAt: null,
    expiresAt: null,
    maxAttempts: 3,
    rerunDelaySeconds: 60,
    jobTimeoutSeconds: 600,
    autoRestart: true,
    notificationRecipients: [],
    timeZone: 'Europe/Warsaw',
    status: 'OnHold',
    nextRunAt: null,
    nextRunTrigger: 'schedule',
    attemptsMade: 0,
    lease: null,
    lastRun: null,
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    updatedBy: 'test:factory',
    version: 1,
    ...overrides,
  };
}
