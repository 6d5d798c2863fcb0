import { afterAll, describe, expect, test } from 'vitest';
import { MemoryNotificationStore } from '../../functions/adapters/memory/memory-notification-store.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { PARAMETERS } from '../../functions/api/openapi/parameters.js';
import { ROUTE_TABLE } from '../../functions/api/route-table.js';
import { createRouteMatcher, isAnonymousRoute } from '../../functions/api/router.js';
import { createApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps } from '../helpers/document-deps.js';
import { SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * The router matches requests from the route table alone, and every route takes exactly the query
 * parameters it declares (the ones the OpenAPI document lists): a route cannot drift from its
 * declaration unnoticed.
 */

const match = createRouteMatcher(ROUTE_TABLE);

/** A concrete path of a route template, each parameter a plausible value. */
const SAMPLES: Readonly<Record<string, string>> = {
  codeUnit: 'send-documents',
  runId: '20260302T080000000Z-00000000',
  email: 'oncall%40example.com',
  id: 'doc-0001',
  ksefNumber: '5265877635-20260202-0100001AF629-AF',
};
const samplePath = (path: string): string => path.replace(/\{([^}]+)\}/g, (_all, name: string) => SAMPLES[name] ?? 'x');

/** A value each query parameter takes, so that only an unknown name could make it a 400 of its own. */
const QUERY_SAMPLES: Readonly<Record<string, string>> = { status: 'Pending', from: '2026-02-01', to: '2026-02-28', limit: '5', cursor: 'x' };
const UNKNOWN_PARAMETER = /is not a known query parameter|is not a parameter of this listing/;

describe('matching a request to the route table', () => {
  test.each(ROUTE_TABLE.map((route) => [`${route.method} ${route.path}`, route] as const))('%s is found by its own path, with its parameters', (_key, route) => {
    const found = match(route.method, samplePath(route.path));

    expect(found).toMatchObject({ kind: 'found', route: { operationId: route.operationId } });
    const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name ?? '');
    expect(found.kind === 'found' ? found.params : {}).toEqual(Object.fromEntries(names.map((name) => [name, SAMPLES[name]])));
  });

  test('a path no route has is not found, whatever the method', () => {
    for (const path of ['/', '/queue', '/QUEUES', '/queues//run', '/queues/send-documents/runs/x/y', '/openapi.yaml', '/openapiXjson']) {
      expect(match('GET', path), path).toEqual({ kind: 'notFound' });
      expect(match('PUT', path), path).toEqual({ kind: 'notFound' });
    }
  });

  test('a path that exists under other methods is a method not allowed, with those methods in table order', () => {
    expect(match('PUT', '/queues/send-documents')).toEqual({ kind: 'methodNotAllowed', allow: ['POST', 'GET', 'PATCH', 'DELETE'] });
    expect(match('get', '/queues')).toEqual({ kind: 'methodNotAllowed', allow: ['GET'] });
    expect(match('HEAD', '/documents')).toEqual({ kind: 'methodNotAllowed', allow: ['POST', 'GET'] });
  });

  test('one trailing slash is the same path', () => {
    expect(match('GET', '/queues/')).toMatchObject({ kind: 'found', route: { operationId: 'listQueues' } });
    expect(match('GET', '/queues/send-documents/')).toMatchObject({ kind: 'found', route: { operationId: 'getEntry' }, params: { codeUnit: 'send-documents' } });
    expect(match('GET', '/queues//')).toEqual({ kind: 'notFound' });
  });

  test('only the OpenAPI document is served without authentication (local mode\'s token check asks the table)', () => {
    expect(ROUTE_TABLE.filter((route) => route.anonymous === true).map((route) => `${route.method} ${route.path}`)).toEqual(['GET /openapi.json']);
    expect(isAnonymousRoute('GET', '/openapi.json')).toBe(true);
    for (const route of ROUTE_TABLE.filter((r) => r.anonymous !== true)) expect(isAnonymousRoute(route.method, samplePath(route.path)), route.path).toBe(false);
    expect(isAnonymousRoute('POST', '/openapi.json')).toBe(false);
  });

  test('a literal segment wins over a parameter in its place, whichever is declared first', () => {
    const routes = [
      { method: 'GET', path: '/documents/{id}', name: 'one' },
      { method: 'GET', path: '/documents/summary', name: 'summary' },
    ] as const;

    expect(createRouteMatcher(routes)('GET', '/documents/summary')).toMatchObject({ kind: 'found', route: { name: 'summary' }, params: {} });
    expect(createRouteMatcher(routes)('GET', '/documents/doc-1')).toMatchObject({ kind: 'found', route: { name: 'one' }, params: { id: 'doc-1' } });
  });
});

describe('the query parameters of every route', () => {
  const validator = new XmllintXsdValidator();
  afterAll(() => validator.close());
  const api = createApiTestClient({ notifications: new MemoryNotificationStore(), documents: { ...makeDocumentDeps(validator), companyNip: SELLER_NIP } });

  test.each(ROUTE_TABLE.map((route) => [`${route.method} ${route.path}`, route] as const))('%s refuses one it does not declare, by name', async (_key, route) => {
    const response = await api.request(route.method, `${samplePath(route.path)}?colour=red`);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'colour', reason: expect.stringMatching(UNKNOWN_PARAMETER) }]);
  });

  const declared = ROUTE_TABLE.flatMap((route) => (route.request?.query ?? []).map((component) => [`${route.method} ${route.path}`, PARAMETERS[component].name, route] as const));
  test.each(declared)('%s takes %s', async (_key, name, route) => {
    const response = await api.request(route.method, `${samplePath(route.path)}?${name}=${encodeURIComponent(QUERY_SAMPLES[name] ?? 'x')}`);

    expect(response.status).not.toBe(500);
    const refusedByName = ((response.body?.errors ?? []) as { field: string; reason: string }[]).filter((issue) => issue.field === name && UNKNOWN_PARAMETER.test(issue.reason));
    expect(refusedByName).toEqual([]);
  });
});
