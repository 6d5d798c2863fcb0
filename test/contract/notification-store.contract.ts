import { beforeEach, describe, expect, it } from 'vitest';
import { EntryAlreadyExistsError, ValidationError, VersionConflictError } from '../../functions/domain/errors.js';
import { initialNotificationState } from '../../functions/domain/notification-policy.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { EmailLogEntry, GlobalRecipient, NotificationStore } from '../../functions/ports/notification-store.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { rejection } from '../helpers/rejection.js';
import { makeRunId } from '../helpers/run-log-factory.js';

/** Makes an empty store for one test, deciding expiry of logged mails with `clock`. */
export type NotificationStoreFactory = (options: { clock: Clock; emailLogRetentionDays: number }) => Promise<NotificationStore>;

const NOW = '2026-06-15T12:00:00.000Z';
const DAY_MS = 86_400_000;

function recipient(email: string, language: 'pl' | 'en' = 'pl'): GlobalRecipient {
  return { email, language, updatedAt: NOW, updatedBy: 'admin@example.com' };
}

/** A logged mail sent `minutesAgo` before NOW. */
function mail(minutesAgo: number, overrides: Partial<EmailLogEntry> = {}): EmailLogEntry {
  const sentAt = new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString();
  return {
    id: makeRunId(sentAt, minutesAgo),
    codeUnit: 'send-documents',
    kind: 'failure',
    language: 'pl',
    runId: makeRunId(sentAt, 7),
    from: 'ksef-jobs@example.com',
    to: ['oncall@example.com'],
    subject: 'Błąd kolejki',
    status: 'sent',
    messageId: `ses-${minutesAgo}`,
    error: null,
    sentAt,
    ...overrides,
  };
}

/** The NotificationStore contract; every adapter must pass it unchanged. */
export function notificationStoreContract(adapterName: string, makeStore: NotificationStoreFactory): void {
  describe(`NotificationStore contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let store: NotificationStore;

    beforeEach(async () => {
      clock = new ManualClock(NOW);
      store = await makeStore({ clock, emailLogRetentionDays: 30 });
    });

    it('global recipients can be added, read, listed, replaced and deleted', async () => {
      // Act
      const first = await store.putRecipient(recipient('oncall@example.com', 'pl'));
      await store.putRecipient(recipient('boss@example.com', 'en'));
      const replaced = await store.putRecipient(recipient('oncall@example.com', 'en'));
      const deleted = await store.deleteRecipient('boss@example.com');
      const deletedAgain = await store.deleteRecipient('boss@example.com');
      // Assess
      expect(first.created).toBe(true);
      expect(replaced.created).toBe(false);
      expect(deleted).toBe(true);
      expect(deletedAgain).toBe(false);
      expect(await store.listRecipients()).toEqual([recipient('oncall@example.com', 'en')]);
      expect(await store.getRecipient('oncall@example.com')).toEqual(recipient('oncall@example.com', 'en'));
      expect(await store.getRecipient('nobody@example.com')).toBeUndefined();
    });

    it('recipient addresses are matched without regard to letter case', async () => {
      // Prepare
      await store.putRecipient(recipient('OnCall@Example.com'));
      // Act
      const second = await store.putRecipient(recipient('oncall@example.com', 'en'));
      // Assess
      expect(second.created).toBe(false);
      expect(await store.listRecipients()).toHaveLength(1);
      expect(await store.getRecipient('ONCALL@EXAMPLE.COM')).toMatchObject({ language: 'en' });
      expect(await store.deleteRecipient('ONCALL@example.COM')).toBe(true);
      expect(await store.listRecipients()).toEqual([]);
    });

    it('a queue without a stored notification state reads as undefined', async () => {
      // Act & Assess
      expect(await store.getState('process-upo')).toBeUndefined();
    });

    it('the notification state is created at version 1 and each update increments the version', async () => {
      // Prepare
      const initial = initialNotificationState('send-documents');
      // Act
      const created = await store.putState({ ...initial, consecutiveFailures: 1, failingSince: NOW }, 0);
      const updated = await store.putState({ ...created, consecutiveFailures: 2 }, created.version);
      // Assess
      expect(created.version).toBe(1);
      expect(updated.version).toBe(2);
      expect(await store.getState('send-documents')).toEqual(updated);
      expect(await store.getState('process-upo')).toBeUndefined();
    });

    it('a state write with a stale version is refused with VersionConflictError and changes nothing', async () => {
      // Prepare
      const initial = initialNotificationState('send-documents');
      const stored = await store.putState({ ...initial, lastFailureEmailAt: NOW }, 0);
      // Act
      const secondCreate = await rejection(store.putState({ ...initial, lastFailureEmailAt: '2026-06-15T12:01:00.000Z' }, 0));
      const stale = await rejection(store.putState({ ...stored, consecutiveFailures: 9 }, 7));
      // Assess
      expect(secondCreate).toBeInstanceOf(VersionConflictError);
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect((stale as VersionConflictError).actualVersion).toBe(1);
      expect(await store.getState('send-documents')).toEqual(stored);
    });

    it('of two writers holding the same version, exactly one wins', async () => {
      // Prepare
      const base = await store.putState(initialNotificationState('update-ledgers'), 0);
      // Act
      const results = await Promise.allSettled([
        store.putState({ ...base, lastRunId: 'a' }, base.version),
        store.putState({ ...base, lastRunId: 'b' }, base.version),
      ]);
      // Assess
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected');
      expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(VersionConflictError);
    });

    it('logged e-mails are listed newest first across all queues', async () => {
      // Prepare
      await store.appendEmail(mail(30));
      await store.appendEmail(mail(10, { codeUnit: 'process-upo', kind: 'recovery', language: 'en' }));
      await store.appendEmail(mail(20, { status: 'failed', messageId: null, error: 'MessageRejected: Email address is not verified.' }));
      // Act
      const page = await store.listEmails({ limit: 10 });
      // Assess
      expect(page.items.map((m) => m.id)).toEqual([mail(10).id, mail(20).id, mail(30).id]);
      expect(page.items[0]).toEqual(mail(10, { codeUnit: 'process-upo', kind: 'recovery', language: 'en' }));
      expect(page.items[1]).toMatchObject({ status: 'failed', messageId: null, error: 'MessageRejected: Email address is not verified.' });
      expect(page.nextCursor).toBeNull();
    });

    it('the e-mail log is paginated with a cursor and every mail appears exactly once', async () => {
      // Prepare
      const codeUnits = ['send-documents', 'process-sessions', 'process-upo'] as const;
      for (let minutesAgo = 1; minutesAgo <= 7; minutesAgo++) {
        await store.appendEmail(mail(minutesAgo, { codeUnit: codeUnits[minutesAgo % 3] }));
      }
      // Act
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.listEmails({ limit: 3, cursor });
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      // Assess
      expect(pages).toBe(3);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((m) => mail(m).id));
    });

    it('a page exactly as long as the log has no next cursor', async () => {
      // Prepare
      await store.appendEmail(mail(1));
      await store.appendEmail(mail(2));
      // Act
      const page = await store.listEmails({ limit: 2 });
      // Assess
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it('appending the same mail twice is refused with EntryAlreadyExistsError', async () => {
      // Prepare
      await store.appendEmail(mail(5));
      // Act
      const refusal = await rejection(store.appendEmail({ ...mail(5), subject: 'other' }));
      // Assess
      expect(refusal).toBeInstanceOf(EntryAlreadyExistsError);
      expect((await store.listEmails({ limit: 10 })).items).toEqual([mail(5)]);
    });

    it('logged mails past their retention are hidden from the listing', async () => {
      // Prepare
      await store.appendEmail(mail(60 * 24 * 31));
      await store.appendEmail(mail(60));
      // Act
      const page = await store.listEmails({ limit: 10 });
      clock.advance(30 * DAY_MS);
      const monthLater = await store.listEmails({ limit: 10 });
      // Assess
      expect(page.items.map((m) => m.id)).toEqual([mail(60).id]);
      expect(monthLater.items).toEqual([]);
    });

    it('a malformed cursor or limit is refused with a ValidationError naming the field', async () => {
      // Act
      const badCursor = await rejection(store.listEmails({ limit: 5, cursor: 'not a cursor' }));
      const forged = await rejection(store.listEmails({ limit: 5, cursor: Buffer.from('{"codeUnit":"nope","id":"x"}').toString('base64url') }));
      const badLimit = await rejection(store.listEmails({ limit: 0 }));
      // Assess
      expect(badCursor).toBeInstanceOf(ValidationError);
      expect((badCursor as ValidationError).issues[0]?.field).toBe('cursor');
      expect((forged as ValidationError).issues[0]?.field).toBe('cursor');
      expect((badLimit as ValidationError).issues[0]?.field).toBe('limit');
    });
  });
}
