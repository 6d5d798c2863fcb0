import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../../../functions/adapters/memory/memory-notification-store.js';
import { NonRetryableError } from '../../../functions/domain/errors.js';
import type { JobQueueEntry } from '../../../functions/domain/job-queue-entry.js';
import { backoffCeilingMs } from '../../../functions/domain/retry-policy.js';
import { desiredSchedule } from '../../../functions/domain/schedule.js';
import { acquireLease, LEASE_GRACE_MS } from '../../../functions/domain/transitions.js';
import type { Mailer, OutgoingEmail } from '../../../functions/ports/mailer.js';
import type { RunnerDeps } from '../../../functions/use-cases/deps.js';
import { setEntryStatus } from '../../../functions/use-cases/manage-entries.js';
import { createRunOutcomeNotifier, type RunOutcomeNotifier } from '../../../functions/use-cases/notify.js';
import { reconcileSchedules } from '../../../functions/use-cases/reconcile-schedules.js';
import { runEntry, type RunEntryOptions } from '../../../functions/use-cases/run-entry.js';
import { makeRunLogEntry } from '../../helpers/run-log-factory.js';
import { makeHarness, START, type Harness } from './harness.js';

/*
 * Issue 5's story on the memory adapters: a code unit that fails until told otherwise, its retries
 * (exponential backoff with equal jitter), the final failure (Error, one e-mail), the automatic
 * restart at the next scheduled slot, and the recovery e-mail; the watchdog's repairs; OnHold wins.
 */

const ONCALL = 'dyzur@example.com';
/** Daily inside a 06:00–18:00 Warsaw window: the next scheduled slot after a failure is tomorrow 06:00. */
const dailyAtSix = { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: '06:00', endingTime: '18:00' };
/** Tuesday 3 March 2026, 06:00 in Warsaw. */
const TOMORROW_AT_SIX = '2026-03-03T05:00:00.000Z';

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(message: OutgoingEmail) {
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

interface Story {
  readonly h: Harness;
  readonly mailer: RecordingMailer;
  readonly store: MemoryNotificationStore;
  readonly runner: RunnerDeps;
  readonly notify: RunOutcomeNotifier;
  /** The harness's options with the story's jitter draws. */
  readonly options: RunEntryOptions;
  /** The code unit fails while this is set. */
  failure: unknown;
}

function makeStory(randoms: readonly number[] = [0.5]): Story {
  const h = makeHarness();
  const mailer = new RecordingMailer();
  const store = new MemoryNotificationStore({ clock: h.clock });
  const notify = createRunOutcomeNotifier({
    notifications: store,
    mailer,
    clock: h.clock,
    ids: h.ids,
    logger: h.logger,
    metrics: h.metrics,
    config: { from: 'ksef-jobs@example.com', intervalMinutes: 60, environmentName: 'test', apiBaseUrl: 'http://127.0.0.1:3000' },
  });
  let draw = 0;
  const story: Story = {
    h,
    mailer,
    store,
    notify,
    runner: { ...h.runner, notify },
    options: { ...h.options, random: () => randoms[draw++ % randoms.length] ?? 0 },
    failure: new Error('KSeF is unreachable'),
  };
  h.codeUnit.behaviour = async () => {
    h.clock.advance(1_000);
    if (story.failure !== null) throw story.failure;
    return { counters: { sent: 2 } };
  };
  return story;
}

/** Fires the entry's schedule at its slot, as EventBridge would, and runs what it delivers. */
async function fireSchedule(story: Story) {
  const input = (await story.h.schedules.get('send-documents'))?.input;
  if (input === undefined) throw new Error('no schedule');
  story.h.clock.set(input.scheduledFor);
  return runEntry(story.runner, input, story.options);
}

const seedReady = (h: Harness, overrides: Partial<JobQueueEntry> = {}) =>
  h.seed({
    status: 'Ready',
    nextRunAt: START,
    recurrence: dailyAtSix,
    maxAttempts: 4,
    rerunDelaySeconds: 60,
    notificationRecipients: [{ email: ONCALL, language: 'en' }],
    ...overrides,
  });

describe('a failing queue, from its first failure to its recovery', () => {
  it('N failures give exactly N attempts with growing jittered delays, then Error, one e-mail, the restart at the next scheduled slot and a recovery e-mail', async () => {
    // Prepare
    const story = makeStory([0.25, 0.5, 0.75]);
    const { h } = story;
    await seedReady(h);
    const delays: number[] = [];
    // Act: four attempts, each failing.
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const row = await fireSchedule(story);
      const entry = await h.entry();
      if (entry.status === 'Ready') delays.push(Date.parse(entry.nextRunAt ?? '') - Date.parse(row.finishedAt ?? ''));
    }
    const afterFailure = await h.entry();
    const mailsAfterFailure = story.mailer.sent.length;
    // Act: the restart fires at its slot, and this time the code unit succeeds.
    story.failure = null;
    const restart = await fireSchedule(story);
    // Assess: the attempts, with trigger retry after the first, one row each.
    const rows = await h.log();
    expect(rows.map((row) => [row.trigger, row.attempt, row.status])).toEqual([
      ['schedule', 1, 'Error'],
      ['retry', 2, 'Error'],
      ['retry', 3, 'Error'],
      ['retry', 4, 'Error'],
      ['restart', 1, 'Success'],
    ]);
    // Equal jitter: delay n is drawn from [d/2, d) with d = 60 s × 2^(n−1); the draws were 0.25, 0.5, 0.75.
    expect(delays).toEqual([37_500, 90_000, 210_000]);
    delays.forEach((delay, index) => {
      const ceiling = backoffCeilingMs(index + 1, 60);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThan(ceiling);
    });
    // Error after the last attempt, with the restart pending at tomorrow's 06:00 and its schedule enabled for it.
    expect(afterFailure).toMatchObject({ status: 'Error', attemptsMade: 4, nextRunAt: TOMORROW_AT_SIX, nextRunTrigger: 'restart' });
    expect(desiredSchedule(afterFailure)).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart', scheduledFor: TOMORROW_AT_SIX } });
    // One failure e-mail for four failed attempts, then one recovery e-mail.
    expect(mailsAfterFailure).toBe(1);
    expect(story.mailer.sent.map((mail) => [mail.to, mail.subject.replace(/^\[[^\]]+\] /, '')])).toEqual([
      [[ONCALL], 'Queue failed: Send to KSeF (Interactive Session) (send-documents)'],
      [[ONCALL], 'Queue recovered: Send to KSeF (Interactive Session) (send-documents)'],
    ]);
    expect(story.mailer.sent[0]?.text).toContain('KSeF is unreachable');
    expect(story.mailer.sent[0]?.text).toMatch(/runs next at 2026-03-03 06:00:00 Europe\/Warsaw/);
    // The restart ran at its slot and the entry is Ready with its next daily run.
    expect(restart).toMatchObject({ trigger: 'restart', scheduledFor: TOMORROW_AT_SIX, status: 'Success' });
    expect(await h.entry()).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunTrigger: 'schedule', nextRunAt: '2026-03-04T05:00:00.000Z' });
    const log = await story.store.listEmails({ limit: 10 });
    expect(log.items.map((mail) => [mail.kind, mail.status])).toEqual([
      ['recovery', 'sent'],
      ['failure', 'sent'],
    ]);
  });

  it('an error that a retry cannot fix goes to Error after one attempt, mails once and still restarts at the next slot', async () => {
    // Prepare
    const story = makeStory();
    story.failure = new NonRetryableError('KSeF refused the token');
    await seedReady(story.h);
    // Act
    await fireSchedule(story);
    // Assess
    expect((await story.h.log()).map((row) => [row.trigger, row.attempt, row.status])).toEqual([['schedule', 1, 'Error']]);
    expect(await story.h.entry()).toMatchObject({ status: 'Error', nextRunAt: TOMORROW_AT_SIX, nextRunTrigger: 'restart' });
    expect(story.mailer.sent).toHaveLength(1);
  });

  it('a restart that fails again within the notification interval sends no second failure e-mail', async () => {
    // Prepare: hourly, so that the restart comes inside the 60-minute interval.
    const story = makeStory();
    await seedReady(story.h, { maxAttempts: 1, recurrence: { ...dailyAtSix, minutesBetweenRuns: 30 } });
    // Act
    await fireSchedule(story);
    const restart = await fireSchedule(story);
    // Assess
    expect(restart).toMatchObject({ trigger: 'restart', status: 'Error' });
    expect(await story.h.entry()).toMatchObject({ status: 'Error', nextRunTrigger: 'restart' });
    expect(story.mailer.sent).toHaveLength(1);
    expect(await story.store.getState('send-documents')).toMatchObject({ consecutiveFailures: 2, unmailedFailures: 1 });
  });

  it('without automatic restart the entry stays in Error with its schedule disabled, and the e-mail says so', async () => {
    // Prepare
    const story = makeStory();
    await seedReady(story.h, { maxAttempts: 1, autoRestart: false });
    // Act
    await fireSchedule(story);
    // Assess
    const entry = await story.h.entry();
    expect(entry).toMatchObject({ status: 'Error', nextRunAt: null });
    expect((await story.h.schedules.get('send-documents'))?.state).toBe('DISABLED');
    expect(story.mailer.sent[0]?.text).toContain('stays in Error until an admin sets it Ready');
  });

  it('a notifier that throws does not change the outcome of the run', async () => {
    // Prepare
    const story = makeStory();
    await seedReady(story.h, { maxAttempts: 1 });
    const runner: RunnerDeps = {
      ...story.runner,
      notify: () => {
        throw new Error('mail service on fire');
      },
    };
    const input = await story.h.scheduledInput();
    // Act
    const row = await runEntry(runner, input, story.options);
    // Assess
    expect(row.status).toBe('Error');
    expect(await story.h.entry()).toMatchObject({ status: 'Error', nextRunTrigger: 'restart', lease: null });
  });
});

describe('the restart trigger', () => {
  it('a restart delivered twice runs once: the late duplicate is skipped', async () => {
    // Prepare
    const story = makeStory();
    await seedReady(story.h, { maxAttempts: 1 });
    await fireSchedule(story);
    story.failure = null;
    const restart = (await story.h.schedules.get('send-documents'))?.input;
    if (restart === undefined) throw new Error('no schedule');
    // Act
    const first = await fireSchedule(story);
    const duplicate = await runEntry(story.runner, restart, story.options);
    // Assess
    expect(first).toMatchObject({ trigger: 'restart', status: 'Success' });
    expect(duplicate).toMatchObject({ trigger: 'restart', status: 'Skipped', skipReason: expect.stringMatching(/Not due/) });
    expect(story.h.codeUnit.calls).toHaveLength(2);
  });

  it('a schedule trigger cannot start an entry in Error, even with a restart pending', async () => {
    // Prepare
    const story = makeStory();
    await seedReady(story.h, { maxAttempts: 1 });
    await fireSchedule(story);
    const restart = await story.h.scheduledInput();
    // Act
    const row = await runEntry(story.runner, { ...restart, trigger: 'schedule' }, story.options);
    // Assess
    expect(restart.trigger).toBe('restart');
    expect(row).toMatchObject({ status: 'Skipped', skipReason: expect.stringMatching(/Error/) });
    expect((await story.h.entry()).status).toBe('Error');
  });
});

describe('OnHold wins over the automatic restart', () => {
  it('an entry put On Hold while its restart is pending is never restarted, by its schedule or by the watchdog', async () => {
    // Prepare
    const story = makeStory();
    const { h } = story;
    await seedReady(h, { maxAttempts: 1 });
    await fireSchedule(story);
    const lateDelivery = (await h.schedules.get('send-documents'))?.input;
    await setEntryStatus(h.deps, 'send-documents', 'OnHold', 'admin');
    // Act: the restart slot passes, an old delivery still arrives, the watchdog runs.
    if (lateDelivery === undefined) throw new Error('no schedule');
    h.clock.set(new Date(Date.parse(lateDelivery.scheduledFor) + 10 * 60_000));
    const skipped = await runEntry(story.runner, lateDelivery, story.options);
    const report = await reconcileSchedules({ ...h.deps, notify: story.notify });
    // Assess
    expect(lateDelivery.trigger).toBe('restart');
    expect(skipped).toMatchObject({ status: 'Skipped', skipReason: expect.stringMatching(/OnHold/) });
    expect(report.repairs).toEqual([]);
    expect(await h.entry()).toMatchObject({ status: 'OnHold', nextRunAt: null });
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
    expect(h.codeUnit.calls).toHaveLength(1);
  });
});

describe('the watchdog', () => {
  it('repairs a deleted schedule, a stale lease and a missed restart in one pass, and mails the stale final failure once', async () => {
    // Prepare: three queues, each broken in its own way.
    const story = makeStory();
    const { h } = story;
    const recipients = [{ email: ONCALL, language: 'en' as const }];
    await h.seed({ status: 'Ready', nextRunAt: '2026-03-03T08:00:00.000Z' });
    await h.schedules.remove('send-documents');
    const crashed = await h.seed({ codeUnit: 'process-upo', id: 'upo', status: 'Ready', nextRunAt: START, jobTimeoutSeconds: 60, maxAttempts: 1, notificationRecipients: recipients });
    await h.entries.update(acquireLease(crashed, 'schedule', 'crashed-run', h.clock.now()), crashed.version);
    await h.runs.start(makeRunLogEntry({ codeUnit: 'process-upo', runId: 'crashed-run', entryId: 'upo', startedAt: START }));
    const missedSlot = new Date(Date.parse(START) - 6 * 60_000).toISOString();
    await h.seed({
      codeUnit: 'update-ledgers',
      id: 'ledgers',
      status: 'Error',
      attemptsMade: 3,
      nextRunAt: missedSlot,
      nextRunTrigger: 'restart',
      lastRun: { runId: 'r', status: 'Error', finishedAt: '2026-03-01T08:00:00.000Z', errorMessage: 'boom' },
    });
    await h.schedules.remove('update-ledgers');
    h.clock.advance(60_000 + LEASE_GRACE_MS + 1);
    // Act
    const report = await reconcileSchedules({ ...h.deps, notify: story.notify });
    const again = await reconcileSchedules({ ...h.deps, notify: story.notify });
    // Assess
    expect(report.repairs.map((repair) => [repair.codeUnit, repair.kind])).toEqual(
      expect.arrayContaining([
        ['send-documents', 'schedule-created'],
        ['process-upo', 'stale-lease-expired'],
        ['update-ledgers', 'restart-missed'],
      ]),
    );
    expect(again.repairs).toEqual([]);
    expect(await h.schedules.get('send-documents')).toMatchObject({ state: 'ENABLED', input: { scheduledFor: '2026-03-03T08:00:00.000Z' } });
    expect(await h.runs.get('process-upo', 'crashed-run')).toMatchObject({ status: 'Error', errorMessage: expect.stringMatching(/job timeout/) });
    expect(await h.entry('process-upo')).toMatchObject({ status: 'Error', lease: null, nextRunTrigger: 'restart' });
    expect(story.mailer.sent.map((mail) => mail.subject)).toEqual([expect.stringContaining('process-upo')]);
    const ledgers = await h.entry('update-ledgers');
    // As soon as the schedule can fire it: the next whole minute.
    const nextWholeMinute = new Date(Math.ceil(h.clock.now().getTime() / 60_000) * 60_000).toISOString();
    expect(ledgers).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunAt: nextWholeMinute, nextRunTrigger: 'restart' });
    expect(await h.schedules.get('update-ledgers')).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart' } });
  });

  it('the missed restart then runs as a restart', async () => {
    // Prepare
    const story = makeStory();
    const { h } = story;
    story.failure = null;
    await seedReady(h, { status: 'Error', attemptsMade: 4, nextRunAt: new Date(Date.parse(START) - 10 * 60_000).toISOString(), nextRunTrigger: 'restart' });
    await reconcileSchedules(h.deps);
    // Act
    const row = await fireSchedule(story);
    // Assess
    expect(row).toMatchObject({ trigger: 'restart', attempt: 1, status: 'Success' });
    expect((await h.entry()).status).toBe('Ready');
  });

  it('schedules the restart of an entry in Error whose autoRestart is on but has none pending', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({
      status: 'Error',
      recurrence: dailyAtSix,
      lastRun: { runId: 'r', status: 'Error', finishedAt: START, errorMessage: 'boom' },
    });
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.counts['restart-scheduled']).toBe(1);
    expect(await h.entry()).toMatchObject({ status: 'Error', nextRunAt: TOMORROW_AT_SIX, nextRunTrigger: 'restart' });
    expect(await h.schedules.get('send-documents')).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart', scheduledFor: TOMORROW_AT_SIX } });
  });

  it('leaves an entry in Error alone when its autoRestart is off', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'Error', autoRestart: false, lastRun: { runId: 'r', status: 'Error', finishedAt: START, errorMessage: 'boom' } });
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.repairs).toEqual([]);
    expect(await h.entry()).toMatchObject({ status: 'Error', nextRunAt: null, version: 1 });
  });
});
