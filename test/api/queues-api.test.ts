import { describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { ADMIN_ARN, createApiTestClient } from '../helpers/api-test-client.js';
import { makeEntry } from '../helpers/entry-factory.js';

describe('the management API over the job queue entries', () => {
  test('the queue list names all five code units, with no entry before one is created', async () => {
    const api = createApiTestClient();

    const response = await api.request('GET', '/queues');

    expect(response.status).toBe(200);
    expect(response.body.items.map((queue: { codeUnit: string }) => queue.codeUnit)).toEqual([...CODE_UNIT_IDS]);
    expect(response.body.items.every((queue: { entry: unknown }) => queue.entry === null)).toBe(true);
  });

  test('the first POST creates the entry On Hold with the defaults, the second returns the same one', async () => {
    const api = createApiTestClient();

    const first = await api.request('POST', '/queues/send-documents');
    const second = await api.request('POST', '/queues/send-documents');

    expect(first.status).toBe(201);
    expect(first.headers.location).toBe('/queues/send-documents');
    expect(first.headers.etag).toBe('"1"');
    expect(first.body.entry).toMatchObject({ status: 'OnHold', recurrence: { minutesBetweenRuns: 1440 }, updatedBy: ADMIN_ARN });
    expect(first.body.entry.recurrence.runOnWeekdays).toHaveLength(7);
    expect(second.status).toBe(200);
    expect(second.body.entry.id).toBe(first.body.entry.id);
  });

  test('concurrent creates of one code unit make exactly one entry', async () => {
    const api = createApiTestClient();

    const responses = await Promise.all(Array.from({ length: 5 }, () => api.request('POST', '/queues/process-upo')));

    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.entry.id)).size).toBe(1);
  });

  test('the card carries the entry version as a strong ETag and the next five runs', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/update-ledgers');

    const card = await api.request('GET', '/queues/update-ledgers');

    expect(card.status).toBe(200);
    expect(card.headers.etag).toBe(`"${card.body.entry.version}"`);
    expect(card.body.codeUnit.id).toBe('update-ledgers');
    expect(card.body.nextRuns).toHaveLength(5);
  });

  test('a PATCH with the current ETag changes the settings and moves the version on', async () => {
    const api = createApiTestClient();
    const created = await api.request('POST', '/queues/send-documents');

    const patched = await api.request('PATCH', '/queues/send-documents', {
      headers: { 'if-match': created.headers.etag ?? '' },
      body: { description: 'Nightly send', recurrence: { minutesBetweenRuns: 60, startingTime: '06:00', endingTime: '22:00' } },
    });

    expect(patched.status).toBe(200);
    expect(patched.body.entry).toMatchObject({ description: 'Nightly send', recurrence: { minutesBetweenRuns: 60, startingTime: '06:00', endingTime: '22:00' } });
    expect(patched.headers.etag).toBe('"2"');
  });

  test('a PATCH accepts application/merge-patch+json and If-Match: *', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    const patched = await api.request('PATCH', '/queues/send-documents', {
      headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json; charset=utf-8' },
      body: JSON.stringify({ maxAttempts: 5 }),
    });

    expect(patched.status).toBe(200);
    expect(patched.body.entry.maxAttempts).toBe(5);
  });

  test('a PATCH without If-Match is refused with 428 and changes nothing', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    const refused = await api.request('PATCH', '/queues/send-documents', { body: { maxAttempts: 5 } });

    expect(refused.status).toBe(428);
    expect(refused.body.type).toBe('https://ksef-job-queues.dev/problems/precondition-required');
    expect((await api.request('GET', '/queues/send-documents')).body.entry.maxAttempts).toBe(3);
  });

  test('a PATCH with a stale ETag is refused with 412 and the current ETag', async () => {
    const api = createApiTestClient();
    const created = await api.request('POST', '/queues/send-documents');
    await api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': created.headers.etag ?? '' }, body: { maxAttempts: 4 } });

    const stale = await api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': created.headers.etag ?? '' }, body: { maxAttempts: 5 } });

    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe('"2"');
    expect(stale.body.type).toBe('https://ksef-job-queues.dev/problems/version-conflict');
  });

  test('of two concurrent PATCHes with the same ETag, one wins and the other gets 412', async () => {
    const api = createApiTestClient();
    const created = await api.request('POST', '/queues/send-documents');
    const etag = created.headers.etag ?? '';

    const responses = await Promise.all([
      api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': etag }, body: { maxAttempts: 4 } }),
      api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': etag }, body: { maxAttempts: 6 } }),
    ]);

    expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
    const winner = responses.find((response) => response.status === 200);
    expect((await api.deps.entries.get('send-documents'))?.maxAttempts).toBe(winner?.body.entry.maxAttempts);
  });

  test('a PATCH while a run is in process is refused with 409', async () => {
    const api = createApiTestClient();
    await api.deps.entries.create(
      makeEntry({
        status: 'InProcess',
        lease: { runId: 'r', trigger: 'schedule', attempt: 1, startedAt: '2026-03-02T08:00:00.000Z', expiresAt: '2026-03-02T08:10:00.000Z', previousStatus: 'Ready' },
      }),
    );

    const response = await api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': '"1"' }, body: { maxAttempts: 4 } });

    expect(response.status).toBe(409);
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/illegal-transition');
  });

  test('bad settings are a 400 that names each bad field', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    const response = await api.request('PATCH', '/queues/send-documents', {
      headers: { 'if-match': '"1"' },
      body: { maxAttempts: 0, recurrence: { startingTime: '25:00' }, colour: 'red' },
    });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.errors.map((issue: { field: string }) => issue.field).sort()).toEqual(['colour', 'maxAttempts', 'recurrence.startingTime']);
  });

  test('setting an entry Ready enables its schedule, and On Hold disables it', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/process-sessions');

    const ready = await api.request('POST', '/queues/process-sessions/status', { body: { status: 'Ready' } });
    const scheduleWhenReady = await api.deps.schedules.get('process-sessions');
    const onHold = await api.request('POST', '/queues/process-sessions/status', { body: { status: 'OnHold' } });

    expect(ready.status).toBe(200);
    expect(ready.body.entry.status).toBe('Ready');
    expect(scheduleWhenReady?.state).toBe('ENABLED');
    expect(onHold.body.entry.status).toBe('OnHold');
    expect(onHold.body.schedule.state).toBe('DISABLED');
  });

  test('a status change with a stale If-Match is refused with 412', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/process-sessions');

    const response = await api.request('POST', '/queues/process-sessions/status', { headers: { 'if-match': '"7"' }, body: { status: 'Ready' } });

    expect(response.status).toBe(412);
    expect((await api.deps.entries.get('process-sessions'))?.status).toBe('OnHold');
  });

  test('run now answers 202 with the run id and its location, and hands the run to the launcher', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/process-upo');

    const response = await api.request('POST', '/queues/process-upo/run');

    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/queues/process-upo/runs/${response.body.runId}`);
    expect(api.launcher.launched).toEqual([expect.objectContaining({ codeUnit: 'process-upo', runId: response.body.runId, trigger: 'manual', requestedBy: ADMIN_ARN })]);
  });

  test('the run log pages newest first, with nextCursor and a Link to the next page', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/process-upo');
    const startedAt = ['2026-03-02T08:00:00.000Z', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'];
    for (const [index, at] of startedAt.entries()) {
      await api.deps.runs.start({
        codeUnit: 'process-upo', entryId: 'e', runId: api.deps.ids.runId(new Date(at)), trigger: 'schedule', attempt: 1, status: 'Success',
        startedAt: at, finishedAt: at, durationMs: index, scheduledFor: at, errorMessage: null, errorStack: null, skipReason: null, counters: { downloaded: index },
      });
    }

    const first = await api.request('GET', '/queues/process-upo/runs?limit=2');
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.link ?? '')?.[1] ?? '';
    const second = await api.request('GET', link);

    expect(first.body.items.map((run: { startedAt: string }) => run.startedAt)).toEqual([startedAt[2], startedAt[1]]);
    expect(link).toBe(`/queues/process-upo/runs?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((run: { startedAt: string }) => run.startedAt)).toEqual([startedAt[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect(second.headers.link).toBeUndefined();
  });

  test('one run of the log is read by its id, and an unknown id is a 404', async () => {
    const api = createApiTestClient();
    const at = '2026-03-02T08:00:00.000Z';
    const runId = api.deps.ids.runId(new Date(at));
    await api.deps.runs.start({
      codeUnit: 'process-upo', entryId: 'e', runId, trigger: 'manual', attempt: 1, status: 'InProcess',
      startedAt: at, finishedAt: null, durationMs: null, scheduledFor: null, errorMessage: null, errorStack: null, skipReason: null, counters: {},
    });

    const found = await api.request('GET', `/queues/process-upo/runs/${runId}`);
    const missing = await api.request('GET', '/queues/process-upo/runs/20260302T080000000Z-deadbeef');

    expect(found.status).toBe(200);
    expect(found.body.runId).toBe(runId);
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('https://ksef-job-queues.dev/problems/run-not-found');
  });

  test('DELETE removes the entry and its schedule', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/incoming-documents');
    await api.request('POST', '/queues/incoming-documents/status', { body: { status: 'Ready' } });

    const deleted = await api.request('DELETE', '/queues/incoming-documents');

    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await api.request('GET', '/queues/incoming-documents')).status).toBe(404);
    expect(await api.deps.schedules.get('incoming-documents')).toBeUndefined();
  });

  test('DELETE with a stale If-Match is refused with 412 and keeps the entry', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/incoming-documents');
    await api.request('POST', '/queues/incoming-documents/status', { body: { status: 'Ready' } });

    const stale = await api.request('DELETE', '/queues/incoming-documents', { headers: { 'if-match': '"1"' } });
    const current = await api.request('DELETE', '/queues/incoming-documents', { headers: { 'if-match': '"2"' } });

    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe('"2"');
    expect(current.status).toBe(204);
  });

  test('DELETE is refused with 409 while the entry is InProcess', async () => {
    const api = createApiTestClient();
    await api.deps.entries.create(
      makeEntry({
        codeUnit: 'incoming-documents',
        status: 'InProcess',
        lease: { runId: 'r', trigger: 'schedule', attempt: 1, startedAt: '2026-03-02T08:00:00.000Z', expiresAt: '2026-03-02T08:10:00.000Z', previousStatus: 'Ready' },
      }),
    );

    const response = await api.request('DELETE', '/queues/incoming-documents');

    expect(response.status).toBe(409);
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/illegal-transition');
    expect(await api.deps.entries.get('incoming-documents')).toBeDefined();
  });

  test('an unknown code unit is a 404 problem on every queue route', async () => {
    const api = createApiTestClient();

    const responses = await Promise.all([
      api.request('GET', '/queues/no-such-unit'),
      api.request('POST', '/queues/no-such-unit'),
      api.request('POST', '/queues/no-such-unit/run'),
      api.request('GET', '/queues/no-such-unit/runs'),
      api.request('DELETE', '/queues/no-such-unit'),
    ]);

    for (const response of responses) {
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/unknown-code-unit');
      expect(response.body.instance).toMatch(/^\/queues\/no-such-unit/);
    }
  });

  test('an existing code unit without an entry is a 404 entry-not-found', async () => {
    const api = createApiTestClient();

    const response = await api.request('GET', '/queues/send-documents');

    expect(response.status).toBe(404);
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/entry-not-found');
  });
});
