import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryNotificationStore } from '../../functions/adapters/memory/memory-notification-store.js';
import type { EmailLogEntry } from '../../functions/ports/notification-store.js';
import { MAX_GLOBAL_RECIPIENTS } from '../../functions/use-cases/manage-notifications.js';
import { ADMIN_ARN, createApiTestClient, type ApiTestClient } from '../helpers/api-test-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { makeRunId } from '../helpers/run-log-factory.js';

/*
 * Global recipients and the sent e-mail log (issue 5) through the real handler on the memory
 * notification store; every response is checked against the OpenAPI document by the client.
 */

const NOW = '2026-03-02T08:00:00.000Z';
const PROBLEMS = 'https://ksef-job-queues.dev/problems/';

function loggedMail(minutesAgo: number, overrides: Partial<EmailLogEntry> = {}): EmailLogEntry {
  const sentAt = new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString();
  return {
    id: makeRunId(sentAt, minutesAgo),
    codeUnit: 'send-documents',
    kind: 'failure',
    language: 'en',
    runId: makeRunId(sentAt, 1),
    from: 'ksef-job-queues@example.com',
    to: ['oncall@example.com'],
    subject: `[local] send-documents failed (${minutesAgo})`,
    status: 'sent',
    messageId: `ses-${minutesAgo}`,
    error: null,
    sentAt,
    ...overrides,
  };
}

describe('the notifications API', () => {
  let clock: ManualClock;
  let store: MemoryNotificationStore;
  let api: ApiTestClient;

  beforeEach(() => {
    clock = new ManualClock(NOW);
    store = new MemoryNotificationStore({ clock });
    api = createApiTestClient({ clock, notifications: store });
  });

  test('a deployment starts without global recipients', async () => {
    // Act
    const response = await api.request('GET', '/notifications/recipients');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  test('PUT adds a recipient with 201, and again replaces its language with 200', async () => {
    // Act
    const created = await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: { language: 'pl' } });
    clock.advance(60_000);
    const replaced = await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: { language: 'en' } });
    const list = await api.request('GET', '/notifications/recipients');

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/notifications/recipients/oncall%40example.com');
    expect(created.body).toEqual({ email: 'oncall@example.com', language: 'pl', updatedAt: NOW, updatedBy: ADMIN_ARN });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ language: 'en', updatedAt: '2026-03-02T08:01:00.000Z' });
    expect(list.body.items).toEqual([replaced.body]);
  });

  test('addresses are compared without regard to case, and may come percent-encoded', async () => {
    // Act
    const first = await api.request('PUT', '/notifications/recipients/On%2BCall%40Example.com', { body: { language: 'pl' } });
    const second = await api.request('PUT', '/notifications/recipients/on+call@example.com', { body: { language: 'en' } });
    const list = await api.request('GET', '/notifications/recipients');

    // Assess
    expect(first.status).toBe(201);
    expect(first.body.email).toBe('On+Call@Example.com');
    expect(second.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(await store.getRecipient('ON+CALL@EXAMPLE.COM')).toMatchObject({ language: 'en' });
  });

  test('a bad address and a bad language are both named in one 400', async () => {
    // Act
    const response = await api.request('PUT', '/notifications/recipients/not-an-address', { body: { language: 'de' } });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.type).toBe(`${PROBLEMS}validation`);
    expect(response.body.errors).toEqual([
      { field: 'email', reason: 'must be a valid e-mail address' },
      { field: 'language', reason: 'must be one of "pl", "en"' },
    ]);
    expect(await store.listRecipients()).toEqual([]);
  });

  test('a PUT body that is not a JSON object, or has unknown or missing fields, is refused by name', async () => {
    // Act
    const notJson = await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: 'language=pl', headers: { 'content-type': 'text/plain' } });
    const unknown = await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: { language: 'pl', colour: 'red' } });
    const missing = await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: {} });

    // Assess
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].field).toBe('body');
    expect(unknown.body.errors).toEqual([{ field: 'colour', reason: 'is not a known field' }]);
    expect(missing.body.errors).toEqual([{ field: 'language', reason: 'is required' }]);
  });

  test(`no more than ${MAX_GLOBAL_RECIPIENTS} global recipients can be configured, but existing ones can still be changed`, async () => {
    // Prepare
    for (let i = 0; i < MAX_GLOBAL_RECIPIENTS; i++) await api.request('PUT', `/notifications/recipients/admin${i}@example.com`, { body: { language: 'pl' } });

    // Act
    const oneTooMany = await api.request('PUT', '/notifications/recipients/late@example.com', { body: { language: 'pl' } });
    const change = await api.request('PUT', '/notifications/recipients/admin0@example.com', { body: { language: 'en' } });

    // Assess
    expect(oneTooMany.status).toBe(400);
    expect(oneTooMany.body.errors).toEqual([{ field: 'email', reason: `at most ${MAX_GLOBAL_RECIPIENTS} global recipients can be configured` }]);
    expect(change.status).toBe(200);
  });

  test('DELETE removes a recipient with 204; deleting one that is not there is a 404 problem', async () => {
    // Prepare
    await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: { language: 'pl' } });

    // Act
    const deleted = await api.request('DELETE', '/notifications/recipients/OnCall@example.com');
    const again = await api.request('DELETE', '/notifications/recipients/oncall@example.com');
    const invalid = await api.request('DELETE', '/notifications/recipients/nobody');

    // Assess
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(await store.listRecipients()).toEqual([]);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ type: `${PROBLEMS}recipient-not-found`, detail: 'oncall@example.com is not a global recipient.' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([{ field: 'email', reason: 'must be a valid e-mail address' }]);
  });

  test('the e-mail log lists the mails newest first, a page at a time, with a Link to the next page', async () => {
    // Prepare
    for (const minutesAgo of [30, 10, 20, 40, 50]) await store.appendEmail(loggedMail(minutesAgo));

    // Act
    const first = await api.request('GET', '/notifications/log?limit=2');
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.link ?? '')?.[1];
    const second = await api.request('GET', link ?? '/missing-link');
    const third = await api.request('GET', /^<([^>]+)>/.exec(second.headers.link ?? '')?.[1] ?? '/missing-link');

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.items.map((mail: EmailLogEntry) => mail.messageId)).toEqual(['ses-10', 'ses-20']);
    expect(first.body.items[0]).toEqual(loggedMail(10));
    expect(link).toBe(`/notifications/log?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((mail: EmailLogEntry) => mail.messageId)).toEqual(['ses-30', 'ses-40']);
    expect(third.body).toEqual({ items: [loggedMail(50)], nextCursor: null });
    expect(third.headers.link).toBeUndefined();
  });

  test('a failed mail is logged with its reason and no message id', async () => {
    // Prepare
    await store.appendEmail(loggedMail(5, { status: 'failed', messageId: null, error: 'MessageRejected: Email address is not verified.' }));

    // Act
    const response = await api.request('GET', '/notifications/log');

    // Assess
    expect(response.body.items).toEqual([expect.objectContaining({ status: 'failed', messageId: null, error: 'MessageRejected: Email address is not verified.' })]);
    expect(response.body.nextCursor).toBeNull();
  });

  test('bad log parameters are named: limit, cursor and unknown ones', async () => {
    // Act
    const limit = await api.request('GET', '/notifications/log?limit=500');
    const cursor = await api.request('GET', '/notifications/log?cursor=not-a-cursor');
    const unknown = await api.request('GET', '/notifications/log?since=yesterday');

    // Assess
    expect(limit.body.errors).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 100' }]);
    expect(cursor.body.errors).toEqual([{ field: 'cursor', reason: 'is not a cursor returned by this API' }]);
    expect(unknown.body.errors).toEqual([{ field: 'since', reason: 'is not a known query parameter' }]);
    expect([limit.status, cursor.status, unknown.status]).toEqual([400, 400, 400]);
  });
});

describe('the notifications API without a notification store', () => {
  test.each([
    ['GET', '/notifications/recipients', undefined],
    ['PUT', '/notifications/recipients/oncall@example.com', { language: 'pl' }],
    ['DELETE', '/notifications/recipients/oncall@example.com', undefined],
    ['GET', '/notifications/log', undefined],
  ] as const)('%s %s answers 503 not configured', async (method, url, body) => {
    // Prepare
    const api = createApiTestClient();

    // Act
    const response = await api.request(method, url, body === undefined ? {} : { body });

    // Assess
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ type: `${PROBLEMS}not-configured`, detail: 'Notifications are not configured on this deployment.' });
    expect(response.headers['retry-after']).toBeUndefined();
  });
});
