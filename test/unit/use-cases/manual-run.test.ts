import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../../../functions/adapters/memory/memory-notification-store.js';
import type { JobQueueEntry } from '../../../functions/domain/job-queue-entry.js';
import type { Mailer, OutgoingEmail } from '../../../functions/ports/mailer.js';
import type { ManualRunRequest } from '../../../functions/ports/run-launcher.js';
import type { RunnerDeps } from '../../../functions/use-cases/deps.js';
import { createRunOutcomeNotifier } from '../../../functions/use-cases/notify.js';
import { runEntry, type RunEntryOptions } from '../../../functions/use-cases/run-entry.js';
import { deferred, makeHarness, type Harness } from './harness.js';

/*
 * The run protocol for "run now" (POST /queues/{codeUnit}/run): one attempt that an admin watches.
 * It never shifts the queue's schedule, also when it fails, and its failure mails nobody; the
 * queue's own runs go on at their slots and are retried, restarted and mailed as always.
 */

/** Monday 2 March 2026, 23:08:29 in Warsaw: when the admin pressed "run now". */
const PRESSED = '2026-03-02T22:08:29.000Z';
/** Tuesday 3 March 2026, 03:00 in Warsaw: the daily slot. */
const SLOT = '2026-03-03T02:00:00.000Z';
const daily = { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: null, endingTime: null };
const ONCALL = 'dyzur@example.com';

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(message: OutgoingEmail) {
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

interface Setup {
  readonly h: Harness;
  readonly runner: RunnerDeps;
  readonly mailer: RecordingMailer;
  /** The code unit fails while this is set. */
  failing: boolean;
}

function setUp(start: string): Setup {
  const h = makeHarness(start);
  const mailer = new RecordingMailer();
  const notify = createRunOutcomeNotifier({
    notifications: new MemoryNotificationStore({ clock: h.clock }),
    mailer,
    clock: h.clock,
    ids: h.ids,
    logger: h.logger,
    metrics: h.metrics,
    config: { from: 'ksef-jobs@example.com', intervalMinutes: 60, environmentName: 'test', apiBaseUrl: 'http://127.0.0.1:3000' },
  });
  const setup: Setup = { h, runner: { ...h.runner, notify }, mailer, failing: true };
  h.codeUnit.behaviour = async () => {
    h.clock.advance(2_000);
    if (setup.failing) throw new Error('KSeF said no');
    return { counters: { sent: 1 } };
  };
  return setup;
}

const seedDailyAtThree = (h: Harness, overrides: Partial<JobQueueEntry> = {}) =>
  h.seed({ status: 'Ready', recurrence: daily, maxAttempts: 1, nextRunAt: SLOT, notificationRecipients: [{ email: ONCALL, language: 'en' }], ...overrides });

/** A manual run request with a time-ordered run id, as the API makes it. */
const runNow = (s: Setup, options: RunEntryOptions = s.h.options) => {
  const runId = s.h.ids.runId(s.h.clock.now());
  const request: ManualRunRequest = { codeUnit: 'send-documents', entryId: 'entry-send-documents', trigger: 'manual', runId, requestedBy: 'admin' };
  return runEntry(s.runner, request, options);
};

/** Fires the entry's schedule at its slot, as EventBridge would. */
async function fireSchedule(s: Setup) {
  const input = (await s.h.schedules.get('send-documents'))?.input;
  if (input === undefined) throw new Error('no schedule');
  s.h.clock.set(input.scheduledFor);
  return runEntry(s.runner, input, s.h.options);
}

describe('run now', () => {
  it('a failed run-now on a daily 03:00 queue is logged, not retried, mails nobody, and the queue still runs at 03:00', async () => {
    // Prepare
    const s = setUp(PRESSED);
    await seedDailyAtThree(s.h);
    const scheduleBefore = await s.h.schedules.get('send-documents');
    // Act
    const row = await runNow(s);
    const afterManual = await s.h.entry();
    const scheduleAfterManual = await s.h.schedules.get('send-documents');
    const mailsAfterManual = s.mailer.sent.length;
    const scheduled = await fireSchedule(s);
    // Assess: the manual run is one Error row; the entry and its schedule are as before it.
    expect(row).toMatchObject({ trigger: 'manual', status: 'Error', errorMessage: 'KSeF said no', scheduledFor: null });
    expect(row.errorStack).toContain('manual-run.test.ts');
    expect(afterManual).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunAt: SLOT, nextRunTrigger: 'schedule', lease: null, lastRun: { runId: row.runId, status: 'Error' } });
    expect(scheduleAfterManual).toEqual(scheduleBefore);
    expect(mailsAfterManual).toBe(0);
    // The 03:00 run is the queue's own: it runs at its slot, fails finally (maxAttempts 1) and mails once.
    expect(scheduled).toMatchObject({ trigger: 'schedule', scheduledFor: SLOT, attempt: 1, status: 'Error' });
    expect((await s.h.log()).map((r) => [r.trigger, r.status])).toEqual([
      ['manual', 'Error'],
      ['schedule', 'Error'],
    ]);
    expect(await s.h.entry()).toMatchObject({ status: 'Error', nextRunAt: '2026-03-04T02:00:00.000Z', nextRunTrigger: 'restart' });
    expect(s.mailer.sent).toHaveLength(1);
    expect(s.mailer.sent[0]?.subject).toContain('Queue failed');
    expect(s.h.codeUnit.calls.map((call) => call.trigger)).toEqual(['manual', 'schedule']);
  });

  it('a failed run-now in the middle of a retry streak keeps the pending retry and its attempt count', async () => {
    // Prepare: attempt 1 of 3 failed at 03:00; the retry is due at 03:05.
    const s = setUp('2026-03-03T02:01:00.000Z');
    await seedDailyAtThree(s.h, { maxAttempts: 3, attemptsMade: 1, nextRunAt: '2026-03-03T02:05:00.000Z', nextRunTrigger: 'retry' });
    // Act
    await runNow(s);
    const retry = await fireSchedule(s);
    // Assess: the retry is attempt 2, as if nobody had pressed anything.
    expect(retry).toMatchObject({ trigger: 'retry', attempt: 2, scheduledFor: '2026-03-03T02:05:00.000Z' });
    expect(await s.h.entry()).toMatchObject({ status: 'Ready', attemptsMade: 2, nextRunTrigger: 'retry' });
    expect(s.mailer.sent).toHaveLength(0);
  });

  it('the 03:00 trigger that finds a failing run-now holding the lease is skipped, and the 03:00 run follows at the next minute', async () => {
    // Prepare: the admin presses "run now" at 02:59:30; the run is still going at 03:00.
    const s = setUp('2026-03-03T01:59:30.000Z');
    await seedDailyAtThree(s.h);
    const gate = deferred();
    s.h.codeUnit.behaviour = async (context) => {
      if (context.trigger === 'manual') await gate.promise;
      if (s.failing) throw new Error('KSeF said no');
      return { counters: { sent: 1 } };
    };
    const manual = runNow(s, { ...s.h.options, sleep: () => new Promise(() => undefined) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Act
    const skipped = await fireSchedule(s);
    s.h.clock.set('2026-03-03T02:00:40.000Z');
    gate.resolve();
    const manualRow = await manual;
    const afterManual = await s.h.entry();
    s.failing = false;
    const owed = await fireSchedule(s);
    // Assess
    expect(skipped).toMatchObject({ status: 'Skipped', trigger: 'schedule', scheduledFor: SLOT });
    expect(skipped.skipReason).toContain(`Lease taken: run '${manualRow.runId}'`);
    expect(manualRow).toMatchObject({ trigger: 'manual', status: 'Error' });
    expect(afterManual).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-03T02:01:00.000Z', nextRunTrigger: 'schedule', attemptsMade: 0 });
    expect(owed).toMatchObject({ trigger: 'schedule', scheduledFor: '2026-03-03T02:01:00.000Z', attempt: 1, status: 'Success' });
    // Back on the daily rhythm: a day after the minute the 03:01 run ended in.
    expect(await s.h.entry()).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-04T02:01:00.000Z' });
  });

  it('a successful run-now on a queue in Error leaves it in Error until its restart, which recovers it with one recovery e-mail', async () => {
    // Prepare: the 03:00 run failed finally (maxAttempts 1) and mailed; its restart is tomorrow 03:00.
    const s = setUp('2026-03-03T01:00:00.000Z');
    await seedDailyAtThree(s.h);
    await fireSchedule(s);
    expect(await s.h.entry()).toMatchObject({ status: 'Error', nextRunTrigger: 'restart' });
    // Act: the admin fixes the cause and runs it now; then the restart fires.
    s.failing = false;
    s.h.clock.set('2026-03-03T08:00:00.000Z');
    const manual = await runNow(s);
    const afterManual = await s.h.entry();
    const scheduleAfterManual = await s.h.schedules.get('send-documents');
    const mailsAfterManual = s.mailer.sent.length;
    const restart = await fireSchedule(s);
    // Assess
    expect(manual).toMatchObject({ trigger: 'manual', status: 'Success' });
    expect(afterManual).toMatchObject({ status: 'Error', nextRunAt: '2026-03-04T02:00:00.000Z', nextRunTrigger: 'restart', lastRun: { runId: manual.runId, status: 'Success' } });
    expect(scheduleAfterManual).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart', scheduledFor: '2026-03-04T02:00:00.000Z' } });
    expect(mailsAfterManual).toBe(1);
    expect(restart).toMatchObject({ trigger: 'restart', status: 'Success', scheduledFor: '2026-03-04T02:00:00.000Z' });
    expect(await s.h.entry()).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunTrigger: 'schedule' });
    expect(s.mailer.sent.map((mail) => mail.subject.replace(/^\[[^\]]*\] /, ''))).toEqual([
      'Queue failed: Send to KSeF (Interactive Session) (send-documents)',
      'Queue recovered: Send to KSeF (Interactive Session) (send-documents)',
    ]);
  });
});
