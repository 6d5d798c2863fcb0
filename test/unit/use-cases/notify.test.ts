import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../../../functions/adapters/memory/memory-notification-store.js';
import { StorageError, ValidationError } from '../../../functions/domain/errors.js';
import type { JobQueueEntry, RunLogEntry } from '../../../functions/domain/job-queue-entry.js';
import { notificationOutcomeOf, type RunNotificationOutcome } from '../../../functions/domain/notification-policy.js';
import { MailDeliveryError, type Mailer, type OutgoingEmail } from '../../../functions/ports/mailer.js';
import type { NotificationStore } from '../../../functions/ports/notification-store.js';
import {
  deleteGlobalRecipient,
  listEmailLog,
  listGlobalRecipients,
  putGlobalRecipient,
} from '../../../functions/use-cases/manage-notifications.js';
import { groupByLanguage, mergeRecipients, notifyRunOutcome, type NotifyDeps } from '../../../functions/use-cases/notify.js';
import { MemoryMetrics } from '../../../functions/adapters/memory/memory-metrics.js';
import { RecordingLogger } from '../../helpers/recording-logger.js';
import { makeEntry } from '../../helpers/entry-factory.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { rejection } from '../../helpers/rejection.js';
import { completeRun, makeRunId, makeRunLogEntry } from '../../helpers/run-log-factory.js';

const MINUTE = 60_000;
const CONFIG = { from: 'ksef-jobs@example.com', intervalMinutes: 60, environmentName: 'test', apiBaseUrl: 'http://127.0.0.1:3000' };

/** A Mailer that keeps what it was given; it can be told to refuse. */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  refuse: Error | null = null;

  async send(message: OutgoingEmail) {
    // A real mailer answers asynchronously; let concurrent callers interleave here.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.refuse) throw this.refuse;
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

describe('notifyRunOutcome', () => {
  let clock: ManualClock;
  let store: MemoryNotificationStore;
  let mailer: RecordingMailer;
  let logger: RecordingLogger;
  let deps: NotifyDeps;
  let entry: JobQueueEntry;
  let runs = 0;

  beforeEach(() => {
    clock = new ManualClock('2026-03-02T08:00:00.000Z');
    store = new MemoryNotificationStore({ clock });
    mailer = new RecordingMailer();
    logger = new RecordingLogger();
    let mails = 0;
    deps = { notifications: store, mailer, clock, ids: { runId: (at) => makeRunId(at, ++mails) }, config: CONFIG, logger, metrics: new MemoryMetrics() };
    entry = makeEntry({ status: 'Error', notificationRecipients: [{ email: 'dyzur@example.com', language: 'pl' }] });
  });

  /** A run of `entry` that ended now with the outcome's status. */
  function endedRun(outcome: RunNotificationOutcome): RunLogEntry {
    const started = new Date(clock.now().getTime() - 2000);
    const row = makeRunLogEntry({ runId: makeRunId(started, ++runs), startedAt: started.toISOString(), trigger: 'schedule', attempt: 3 });
    return outcome === 'success'
      ? completeRun(row, 'Success', 2000)
      : completeRun(row, 'Error', 2000, { errorMessage: 'KSeF answered 503', errorStack: 'Error: KSeF answered 503\n    at send (send.ts:1:1)' });
  }

  async function notify(outcome: RunNotificationOutcome, overrides: Partial<JobQueueEntry> = {}) {
    return notifyRunOutcome(deps, { entry: { ...entry, ...overrides }, run: endedRun(outcome), outcome });
  }

  it('each e-mail is counted by kind and result in the metrics', async () => {
    // Prepare
    const metrics = new MemoryMetrics();
    deps = { ...deps, metrics };
    await notify('final-failure');
    clock.advance(24 * 60 * MINUTE);
    // Act
    await notify('success', { status: 'Ready' });
    // Assess
    expect(metrics.points('Emails')).toEqual([
      { name: 'Emails', unit: 'Count', value: 1, dimensions: { Kind: 'failure', Result: 'sent' } },
      { name: 'Emails', unit: 'Count', value: 1, dimensions: { Kind: 'recovery', Result: 'sent' } },
    ]);
  });

  it('N final failures inside the notification interval send exactly one e-mail', async () => {
    // Act
    for (let i = 0; i < 5; i++) {
      await notify('final-failure');
      clock.advance(10 * MINUTE);
    }
    // Assess
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toEqual(['dyzur@example.com']);
    expect(mailer.sent[0]?.subject).toContain('Błąd kolejki');
    expect((await store.getState('send-documents'))?.unmailedFailures).toBe(4);
  });

  it('a final failure after the interval sends another e-mail that counts the failures not mailed', async () => {
    // Prepare
    await notify('final-failure');
    clock.advance(30 * MINUTE);
    await notify('final-failure');
    clock.advance(30 * MINUTE);
    // Act
    const result = await notify('final-failure');
    // Assess
    expect(result.decided).toBe('failure');
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[1]?.text).toContain('wystąpił jeszcze 1 błąd bez powiadomienia');
    expect(mailer.sent[1]?.text).toContain('3 nieudane przebiegi z rzędu');
  });

  it('a success after mailed failures sends one recovery e-mail, and the next success none', async () => {
    // Prepare
    await notify('final-failure');
    clock.advance(5 * MINUTE);
    await notify('final-failure');
    clock.advance(24 * 60 * MINUTE);
    // Act
    const recovered = await notify('success', { status: 'Ready', nextRunAt: '2026-03-04T08:00:00.000Z' });
    const again = await notify('success', { status: 'Ready' });
    // Assess
    expect(recovered.decided).toBe('recovery');
    expect(again.decided).toBeNull();
    expect(mailer.sent.map((m) => m.subject.split('] ')[1]?.split(':')[0])).toEqual(['Błąd kolejki', 'Kolejka znów działa']);
    expect(mailer.sent[1]?.text).toContain('2 nieudane przebiegi z rzędu');
    expect(mailer.sent[1]?.text).toContain('04.03.2026 09:00:00 czasu polskiego');
  });

  it('a success with no failure before sends nothing and writes nothing', async () => {
    // Act
    const result = await notify('success', { status: 'Ready' });
    // Assess
    expect(result.decided).toBeNull();
    expect(mailer.sent).toEqual([]);
    expect(await store.getState('send-documents')).toBeUndefined();
  });

  it('failed attempts that will be retried send nothing', async () => {
    // Act
    await notify('retry-scheduled', { status: 'Ready', nextRunTrigger: 'retry' });
    await notify('retry-scheduled', { status: 'Ready', nextRunTrigger: 'retry' });
    // Assess
    expect(mailer.sent).toEqual([]);
  });

  it('two concurrent final failures of one queue send one e-mail', async () => {
    // Act
    const results = await Promise.all([notify('final-failure'), notify('final-failure'), notify('final-failure')]);
    // Assess
    expect(mailer.sent).toHaveLength(1);
    expect(results.filter((r) => r.decided === 'failure')).toHaveLength(1);
    expect((await store.getState('send-documents'))?.consecutiveFailures).toBe(3);
  });

  it('the same run notified twice (a redelivered trigger) mails once', async () => {
    // Prepare
    const run = endedRun('final-failure');
    // Act
    await notifyRunOutcome(deps, { entry, run, outcome: 'final-failure' });
    clock.advance(2 * 60 * MINUTE);
    await notifyRunOutcome(deps, { entry, run, outcome: 'final-failure' });
    // Assess
    expect(mailer.sent).toHaveLength(1);
  });

  it('entry and global recipients get one e-mail per language, each address once', async () => {
    // Prepare
    await store.putRecipient({ email: 'Oncall@Example.com', language: 'en', updatedAt: '2026-03-01T00:00:00.000Z', updatedBy: 'admin' });
    await store.putRecipient({ email: 'DYZUR@example.com', language: 'en', updatedAt: '2026-03-01T00:00:00.000Z', updatedBy: 'admin' });
    // Act
    const result = await notify('final-failure');
    // Assess
    expect(mailer.sent.map((m) => m.to)).toEqual([['dyzur@example.com'], ['Oncall@Example.com']]);
    expect(mailer.sent[1]?.subject).toContain('Queue failed');
    expect(result.emails.map((e) => [e.language, e.status])).toEqual([
      ['pl', 'sent'],
      ['en', 'sent'],
    ]);
  });

  it('every e-mail sent is in the e-mail log with its recipients, subject and message id', async () => {
    // Act
    const result = await notify('final-failure');
    // Assess
    const log = await store.listEmails({ limit: 10 });
    expect(log.items).toEqual(result.emails);
    expect(log.items[0]).toMatchObject({
      codeUnit: 'send-documents',
      kind: 'failure',
      language: 'pl',
      to: ['dyzur@example.com'],
      from: 'ksef-jobs@example.com',
      status: 'sent',
      messageId: 'msg-1',
      error: null,
      sentAt: '2026-03-02T08:00:00.000Z',
    });
  });

  it('the failure e-mail tells when the automatic restart runs the queue again', async () => {
    // Act
    await notifyRunOutcome(deps, { entry, run: endedRun('final-failure'), outcome: 'final-failure', restartAt: '2026-03-03T08:00:00.000Z' });
    // Assess
    expect(mailer.sent[0]?.text).toContain('tak: wpis wróci do stanu Ready, następne uruchomienie 03.03.2026 09:00:00 czasu polskiego');
    expect(mailer.sent[0]?.text).toContain('GET http://127.0.0.1:3000/queues/send-documents/runs');
    expect(mailer.sent[0]?.text).toContain('KSeF answered 503');
    expect(mailer.sent[0]?.text).toContain('3 z 3');
  });

  it('a refused e-mail is logged as failed, never thrown, and the next final failure mails at once', async () => {
    // Prepare
    mailer.refuse = new MailDeliveryError('SES SendEmail failed (MessageRejected 400: Email address is not verified.).', false);
    // Act
    const refused = await notify('final-failure');
    mailer.refuse = null;
    clock.advance(MINUTE);
    const next = await notify('final-failure');
    // Assess
    expect(refused.emails[0]).toMatchObject({ status: 'failed', messageId: null, error: expect.stringContaining('MessageRejected') });
    expect(next.decided).toBe('failure');
    expect(mailer.sent).toHaveLength(1);
    expect((await store.listEmails({ limit: 10 })).items.map((e) => e.status)).toEqual(['sent', 'failed']);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('could not be sent'))).toBe(true);
  });

  it('a queue without any recipient sends nothing and still counts the failure', async () => {
    // Act
    const result = await notify('final-failure', { notificationRecipients: [] });
    // Assess
    expect(result.decided).toBeNull();
    expect(result.reason).toContain('no recipients');
    expect(await store.getState('send-documents')).toMatchObject({ consecutiveFailures: 1, lastFailureEmailAt: null });
    expect(logger.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('a store that fails does not throw into the runner', async () => {
    // Prepare
    const broken: NotificationStore = new (class extends MemoryNotificationStore {
      override async getState(): Promise<never> {
        throw new StorageError('DynamoDB GetItem failed (ServiceUnavailable).');
      }
    })();
    // Act
    const result = await notifyRunOutcome({ ...deps, notifications: broken }, { entry, run: endedRun('final-failure'), outcome: 'final-failure' });
    // Assess
    expect(result.error).toContain('ServiceUnavailable');
    expect(mailer.sent).toEqual([]);
  });
});

describe('recipients and outcomes', () => {
  it('an address on the entry and in the global list is mailed once, in the entry language', () => {
    // Act
    const merged = mergeRecipients(
      [{ email: 'a@example.com', language: 'pl' }],
      [
        { email: 'A@EXAMPLE.COM', language: 'en' },
        { email: 'b@example.com', language: 'en' },
      ],
    );
    // Assess
    expect(merged).toEqual([
      { email: 'a@example.com', language: 'pl' },
      { email: 'b@example.com', language: 'en' },
    ]);
    expect(groupByLanguage(merged)).toEqual([
      ['pl', ['a@example.com']],
      ['en', ['b@example.com']],
    ]);
  });

  it('the runner outcome is read from the run row and the entry after it', () => {
    // Act & Assess
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Success', entryAfter: { status: 'Ready', nextRunTrigger: 'schedule' } })).toBe('success');
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Error', entryAfter: { status: 'Ready', nextRunTrigger: 'retry' } })).toBe('retry-scheduled');
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Error', entryAfter: { status: 'Error', nextRunTrigger: 'schedule' } })).toBe('final-failure');
    // A failed manual run leaves a Ready entry Ready on its schedule: not final, nobody is mailed.
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Error', entryAfter: { status: 'Ready', nextRunTrigger: 'schedule' } })).toBeNull();
    expect(notificationOutcomeOf({ previousStatus: 'OnHold', runStatus: 'Error', entryAfter: { status: 'OnHold', nextRunTrigger: 'schedule' } })).toBeNull();
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Skipped', entryAfter: { status: 'Ready', nextRunTrigger: 'schedule' } })).toBeNull();
  });
});

describe('managing notifications', () => {
  let clock: ManualClock;
  let deps: { notifications: MemoryNotificationStore; clock: ManualClock };

  beforeEach(() => {
    clock = new ManualClock('2026-03-02T08:00:00.000Z');
    deps = { notifications: new MemoryNotificationStore({ clock }), clock };
  });

  async function validationIssues(promise: Promise<unknown>) {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }

  it('a global recipient is added, replaced, listed and deleted', async () => {
    // Act
    const created = await putGlobalRecipient(deps, 'oncall@example.com', { language: 'pl' }, 'admin@example.com');
    clock.advance(MINUTE);
    const replaced = await putGlobalRecipient(deps, 'oncall@example.com', { language: 'en' }, 'other@example.com');
    const listed = await listGlobalRecipients(deps);
    const deleted = await deleteGlobalRecipient(deps, 'oncall@example.com');
    const deletedAgain = await deleteGlobalRecipient(deps, 'oncall@example.com');
    // Assess
    expect(created.created).toBe(true);
    expect(replaced).toEqual({
      created: false,
      recipient: { email: 'oncall@example.com', language: 'en', updatedAt: '2026-03-02T08:01:00.000Z', updatedBy: 'other@example.com' },
    });
    expect(listed).toEqual([replaced.recipient]);
    expect(deleted).toEqual({ deleted: true });
    expect(deletedAgain).toEqual({ deleted: false });
  });

  it('a bad address, language or unknown field is refused naming each field', async () => {
    // Act
    const issues = await validationIssues(putGlobalRecipient(deps, 'not-an-address', { language: 'de', extra: 1 }, 'admin'));
    const missing = await validationIssues(putGlobalRecipient(deps, 'a@example.com', {}, 'admin'));
    const notObject = await validationIssues(putGlobalRecipient(deps, 'a@example.com', 'pl', 'admin'));
    const badDelete = await validationIssues(deleteGlobalRecipient(deps, 'nope'));
    // Assess
    expect(issues.map((i) => i.field).sort()).toEqual(['email', 'extra', 'language']);
    expect(issues.find((i) => i.field === 'language')?.reason).toBe('must be one of "pl", "en"');
    expect(missing).toEqual([{ field: 'language', reason: 'is required' }]);
    expect(notObject).toEqual([{ field: '(root)', reason: 'must be a JSON object' }]);
    expect(badDelete[0]?.field).toBe('email');
  });

  it('the e-mail log is read with a limit from the query string and refuses a bad one', async () => {
    // Prepare
    for (let i = 0; i < 3; i++) {
      const sentAt = new Date(Date.parse('2026-03-02T08:00:00.000Z') + i * MINUTE).toISOString();
      await deps.notifications.appendEmail({
        id: makeRunId(sentAt, i),
        codeUnit: 'process-upo',
        kind: 'failure',
        language: 'en',
        runId: makeRunId(sentAt, 99),
        from: 'a@example.com',
        to: ['b@example.com'],
        subject: `mail ${i}`,
        status: 'sent',
        messageId: `m-${i}`,
        error: null,
        sentAt,
      });
    }
    // Act
    const first = await listEmailLog(deps, { limit: '2' });
    const second = await listEmailLog(deps, { limit: '2', cursor: first.nextCursor });
    const defaults = await listEmailLog(deps, {});
    const bad = await validationIssues(listEmailLog(deps, { limit: '0' }));
    const badCursor = await validationIssues(listEmailLog(deps, { cursor: 'garbage!' }));
    // Assess
    expect(first.items.map((m) => m.subject)).toEqual(['mail 2', 'mail 1']);
    expect(second.items.map((m) => m.subject)).toEqual(['mail 0']);
    expect(second.nextCursor).toBeNull();
    expect(defaults.items).toHaveLength(3);
    expect(bad).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 100' }]);
    expect(badCursor[0]?.field).toBe('cursor');
  });
});
