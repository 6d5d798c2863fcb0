import { beforeAll, describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { createApiTestClient, type ApiRequestOptions, type ApiTestClient } from '../helpers/api-test-client.js';

/*
 * Garbage at every route: whatever a client sends, the answer is a 4xx problem+json naming what is
 * wrong, never a 500. The entries exist, so that the garbage gets past the 404s to the parsers.
 */

interface GarbageCase {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly options?: ApiRequestOptions;
}

const HUGE = 'x'.repeat(300_000);
const DEEP = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;

const BODY_ROUTES = [
  { method: 'PATCH', url: '/queues/send-documents', headers: { 'if-match': '*' } },
  { method: 'POST', url: '/queues/send-documents/status', headers: {} },
] as const;

const BAD_BODIES: ReadonlyArray<readonly [string, ApiRequestOptions]> = [
  ['invalid JSON', { body: '{"description":', headers: { 'content-type': 'application/json' } }],
  ['an empty body', { body: '', headers: { 'content-type': 'application/json' } }],
  ['no body at all', { headers: { 'content-type': 'application/json' } }],
  ['a JSON array', { body: '[]', headers: { 'content-type': 'application/json' } }],
  ['a JSON string', { body: '"Ready"', headers: { 'content-type': 'application/json' } }],
  ['JSON null', { body: 'null', headers: { 'content-type': 'application/json' } }],
  ['a JSON number', { body: '42', headers: { 'content-type': 'application/json' } }],
  ['deeply nested arrays', { body: DEEP, headers: { 'content-type': 'application/json' } }],
  ['a huge JSON string', { body: JSON.stringify(HUGE), headers: { 'content-type': 'application/json' } }],
  ['plain text', { body: 'status=Ready', headers: { 'content-type': 'text/plain' } }],
  ['a form', { body: 'status=Ready', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ['no content type', { body: '{"status":"Ready"}', headers: {} }],
  ['a look-alike content type', { body: '{"status":"Ready"}', headers: { 'content-type': 'application/jsonp' } }],
  ['base64 that is not JSON', { body: Buffer.from('\u0000\u00ff garbage').toString('base64'), isBase64Encoded: true, headers: { 'content-type': 'application/json' } }],
  ['unknown fields', { body: { colour: 'red', status: 'Ready', description: 'x' } }],
  ['a __proto__ field', { body: '{"__proto__":{"polluted":true},"status":"Ready"}', headers: { 'content-type': 'application/json' } }],
  ['a constructor field', { body: { constructor: { prototype: { polluted: true } } } }],
  ['wrong types', { body: { status: 5, maxAttempts: '3', recurrence: [], autoRestart: 'yes', description: 12 } }],
  ['nested wrong types', { body: { status: ['Ready'], recurrence: { runOnWeekdays: 'mon', minutesBetweenRuns: 1.5 }, notificationRecipients: [{ email: 1 }] } }],
  ['a huge description', { body: { description: HUGE, status: 'Ready ' + HUGE } }],
  ['status values of the run protocol', { body: { status: 'InProcess' } }],
  ['lower-case status', { body: { status: 'ready' } }],
  ['impossible dates', { body: { earliestStartAt: '2026-02-30T00:00:00Z', expiresAt: 'tomorrow', status: null } }],
  ['numbers out of range', { body: { maxAttempts: 1e308, jobTimeoutSeconds: -1, rerunDelaySeconds: Number.MAX_SAFE_INTEGER + 2, status: {} } }],
];

function bodyCases(): GarbageCase[] {
  return BODY_ROUTES.flatMap((route) =>
    BAD_BODIES.map(([name, options]) => ({
      name: `${route.method} ${route.url} with ${name}`,
      method: route.method,
      url: route.url,
      options: { ...options, headers: { ...route.headers, ...options.headers } },
    })),
  );
}

const EVERY_ROUTE = [
  ['GET', '/queues'],
  ['POST', '/queues/send-documents'],
  ['GET', '/queues/send-documents'],
  ['PATCH', '/queues/send-documents'],
  ['DELETE', '/queues/process-upo'],
  ['POST', '/queues/send-documents/status'],
  ['POST', '/queues/send-documents/run'],
  ['GET', '/queues/send-documents/runs'],
  ['GET', '/queues/send-documents/runs/20260302T080000000Z-00000000'],
  ['GET', '/openapi.json'],
] as const;

function queryCases(): GarbageCase[] {
  const unknownParameters = EVERY_ROUTE.map(([method, url]) => ({ name: `${method} ${url} with an unknown query parameter`, method, url: `${url}?colour=red` }));
  const limits = ['0', '-1', '101', 'abc', '1.5', '1e2', '', ' 5', HUGE.slice(0, 5_000), '5&limit=6'];
  const cursors = ['garbage', '%00', HUGE.slice(0, 10_000), 'eyJ9', Buffer.from('{"pk":"x"}').toString('base64url')];
  return [
    ...unknownParameters,
    ...limits.map((limit) => ({ name: `runs with limit '${limit.slice(0, 20)}'`, method: 'GET', url: `/queues/send-documents/runs?limit=${encodeURIComponent(limit).replace('%26', '&')}` })),
    ...cursors.map((cursor) => ({ name: `runs with cursor '${cursor.slice(0, 20)}'`, method: 'GET', url: `/queues/send-documents/runs?cursor=${encodeURIComponent(cursor)}` })),
  ].filter((c) => !(c.url.endsWith('limit=') && c.name.includes("limit ''")));
}

function headerCases(): GarbageCase[] {
  const ifMatches = ['garbage', '"abc"', 'W/"1"', '""', '"1', `"${HUGE.slice(0, 8_000)}"`, '"-1"', '"1.0"', '"99999999999999999999999"'];
  return ifMatches.flatMap((ifMatch) => [
    { name: `PATCH with If-Match ${ifMatch.slice(0, 20)}`, method: 'PATCH', url: '/queues/send-documents', options: { headers: { 'if-match': ifMatch }, body: { maxAttempts: 4 } } },
    { name: `DELETE with If-Match ${ifMatch.slice(0, 20)}`, method: 'DELETE', url: '/queues/send-documents', options: { headers: { 'if-match': ifMatch } } },
    { name: `status with If-Match ${ifMatch.slice(0, 20)}`, method: 'POST', url: '/queues/send-documents/status', options: { headers: { 'if-match': ifMatch }, body: { status: 'Ready' } } },
  ]);
}

function pathCases(): GarbageCase[] {
  const codeUnits = [HUGE.slice(0, 20_000), '%ZZ', '..%2F..%2Fetc', 'SEND-DOCUMENTS', 'send-documents%00', '%F0%9F%92%A5', '__proto__', 'constructor', 'toString'];
  const perCodeUnit = codeUnits.flatMap((codeUnit) =>
    EVERY_ROUTE.filter(([, url]) => url.includes('send-documents')).map(([method, url]) => ({
      name: `${method} ${url} with code unit ${codeUnit.slice(0, 20)}`,
      method,
      url: url.replace('send-documents', codeUnit),
      options: method === 'PATCH' ? { headers: { 'if-match': '*' }, body: { maxAttempts: 4 } } : method === 'POST' && url.endsWith('status') ? { body: { status: 'Ready' } } : {},
    })),
  );
  const runIds = ['%ZZ', HUGE.slice(0, 20_000), 'nope', '__proto__', '..'];
  const perRunId = runIds.map((runId) => ({ name: `run ${runId.slice(0, 20)}`, method: 'GET', url: `/queues/send-documents/runs/${runId}` }));
  const unknownPaths = ['/', '/queues/send-documents/runs/x/y', '/queue', '/QUEUES', '/queues//run', '/openapi.yaml', `/${HUGE.slice(0, 10_000)}`];
  return [...perCodeUnit, ...perRunId, ...unknownPaths.map((url) => ({ name: `unknown path ${url.slice(0, 20)}`, method: 'GET', url }))];
}

function methodCases(): GarbageCase[] {
  return EVERY_ROUTE.flatMap(([, url]) => ['PUT', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'get'].map((method) => ({ name: `${method} ${url}`, method, url })));
}

async function preparedApi(): Promise<ApiTestClient> {
  const api = createApiTestClient();
  for (const codeUnit of CODE_UNIT_IDS) await api.request('POST', `/queues/${codeUnit}`);
  return api;
}

function expectClientProblem(response: { status: number; headers: Readonly<Record<string, string>>; body: { status: number; type: string } }): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.body.status).toBe(response.status);
  expect(response.body.type).toMatch(/^https:\/\/ksef-job-queues\.dev\/problems\/[a-z-]+$/);
}

describe('garbage sent to the management API', () => {
  const cases = [...bodyCases(), ...queryCases(), ...headerCases(), ...pathCases(), ...methodCases()];

  // One API for all cases: garbage must not change anything, and a case that did would fail on its own.
  let api: ApiTestClient;
  beforeAll(async () => {
    api = await preparedApi();
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s is a 4xx problem, never a 500', async (_name, garbage) => {
    const response = await api.request(garbage.method, garbage.url, garbage.options);

    expectClientProblem(response);
  });

  test('a bad body names the field body', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: '[1,2]', headers: { 'content-type': 'application/json' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', reason: 'must be a JSON object, not an array' }]);
  });

  test('a wrong content type is a 400 naming the body, not a 415', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: '{"status":"Ready"}', headers: { 'content-type': 'text/plain' } });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('body');
  });

  test('an unknown field of a status change is named', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: { status: 'Ready', force: true } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'force', reason: 'is not a known field' }]);
  });

  test('a wrong method is a 405 that lists the allowed ones', async () => {
    const response = await api.request('PUT', '/queues/send-documents');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST, GET, PATCH, DELETE');
  });

  test('a bad limit names the limit', async () => {
    const response = await api.request('GET', '/queues/send-documents/runs?limit=1000');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 100' }]);
  });

  test('a huge input is not echoed back in full', async () => {
    const response = await api.request('GET', `/queues/${HUGE.slice(0, 50_000)}`);

    expect(response.status).toBe(404);
    expect(response.text.length).toBeLessThan(2_000);
  });
});
