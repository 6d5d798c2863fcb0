import { describe, expect, test } from 'vitest';
import { createApiTestClient } from '../helpers/api-test-client.js';
import { makeEntry } from '../helpers/entry-factory.js';

/*
 * An admin sets Ready an entry whose expiresAt has passed: it could never run, so the request is
 * refused with a 409 that says when it expired and what to change, instead of a 200 showing a
 * Ready entry with no next run and a disabled schedule. The API client's clock reads 2026-03-02T08:00Z.
 */

const ILLEGAL_TRANSITION = 'https://ksef-job-queues.dev/problems/illegal-transition';

describe('setting an expired entry Ready', () => {
  test('an entry that expired yesterday is refused with 409 naming the time and expiresAt, and stays On Hold', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.deps.entries.create(makeEntry({ codeUnit: 'process-upo', expiresAt: '2026-03-01T12:00:00.000Z' }));

    // Act
    const response = await api.request('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });

    // Assess
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.type).toBe(ILLEGAL_TRANSITION);
    expect(response.body.detail).toContain('expired at 2026-03-01T12:00:00.000Z');
    expect(response.body.detail).toContain('Change expiresAt first');
    const stored = await api.deps.entries.get('process-upo');
    expect(stored).toMatchObject({ status: 'OnHold', nextRunAt: null, version: 1 });
  });

  test('an entry that expires before the first run its settings allow is refused alike, saying it expires before that run', async () => {
    // Prepare: runs only from 06:00 Warsaw, expiring this evening (UTC) before tomorrow's window.
    const api = createApiTestClient();
    const recurrence = { ...makeEntry().recurrence, minutesBetweenRuns: 60, startingTime: '06:00', endingTime: '07:00' };
    await api.deps.entries.create(makeEntry({ codeUnit: 'process-upo', recurrence, expiresAt: '2026-03-02T20:00:00.000Z' }));

    // Act
    const response = await api.request('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('expires at 2026-03-02T20:00:00.000Z, before the first run its settings allow');
  });

  test('after expiresAt is moved on with PATCH, Ready is accepted with a next run and an enabled schedule', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.deps.entries.create(makeEntry({ codeUnit: 'process-upo', expiresAt: '2026-03-01T12:00:00.000Z' }));
    await api.request('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });
    await api.request('PATCH', '/queues/process-upo', { headers: { 'if-match': '"1"' }, body: { expiresAt: '2026-12-31T23:00:00.000Z' } });

    // Act
    const response = await api.request('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.entry.status).toBe('Ready');
    expect(response.body.entry.nextRunAt).not.toBeNull();
    expect(response.body.schedule.state).toBe('ENABLED');
  });

  test('an entry that is already Ready and has expired on its own is refused too, rather than confirmed as Ready', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.deps.entries.create(makeEntry({ codeUnit: 'process-upo', status: 'Ready', nextRunAt: null, expiresAt: '2026-03-02T07:00:00.000Z' }));

    // Act
    const response = await api.request('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('expired at 2026-03-02T07:00:00.000Z');
  });

  test('putting an expired entry On Hold is still accepted', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.deps.entries.create(makeEntry({ codeUnit: 'process-upo', status: 'Ready', nextRunAt: null, expiresAt: '2026-03-02T07:00:00.000Z' }));

    // Act
    const response = await api.request('POST', '/queues/process-upo/status', { body: { status: 'OnHold' } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.entry.status).toBe('OnHold');
  });
});
