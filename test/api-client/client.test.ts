import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalApiServer, type RunningLocalApiServer } from '../../functions/adapters/local/http-server.js';
import { ApiProblemError, ApiUnreachableError, createApiClient, etagOf, problemLine, unwrap } from '../../functions/api-client/client.js';
import { GENERATED_TYPES_PATH, generatedTypes } from '../../functions/api-client/generate-types.js';
import { createApiTestClient } from '../helpers/api-test-client.js';

const TOKEN = 'api-client-test-token-0123456789';

describe('the typed management API client', () => {
  let running: RunningLocalApiServer;
  const api = createApiTestClient({ localActor: 'local-admin' });

  beforeAll(async () => {
    running = await startLocalApiServer({ handler: api.handler, token: TOKEN, port: 0 });
  });

  afterAll(async () => {
    await running.close();
  });

  test('the committed types are exactly what the OpenAPI document generates (run npm run gen:api-client after changing a route)', async () => {
    expect(await readFile(GENERATED_TYPES_PATH, 'utf8')).toBe(await generatedTypes());
  });

  test('it creates an entry, reads its ETag and edits it with If-Match, through the local server', async () => {
    const client = createApiClient({ baseUrl: `${running.url}/`, token: TOKEN });
    const created = await unwrap(client.POST('/queues/{codeUnit}', { params: { path: { codeUnit: 'process-upo' } } }));
    expect(created.response.status).toBe(201);
    expect(created.data.entry.status).toBe('OnHold');
    const etag = etagOf(created.response);
    expect(etag).toBe('"1"');

    const edited = await unwrap(
      client.PATCH('/queues/{codeUnit}', {
        params: { path: { codeUnit: 'process-upo' }, header: { 'If-Match': etag as string } },
        body: { recurrence: { minutesBetweenRuns: 30 } },
      }),
    );
    expect(edited.data.entry.recurrence.minutesBetweenRuns).toBe(30);
    expect(etagOf(edited.response)).toBe('"2"');
  });

  test('a refusal becomes an ApiProblemError that keeps the problem and names the bad field in its message', async () => {
    const client = createApiClient({ baseUrl: running.url, token: TOKEN });
    await unwrap(client.POST('/queues/{codeUnit}', { params: { path: { codeUnit: 'update-ledgers' } } }));
    const refused = await unwrap(
      client.PATCH('/queues/{codeUnit}', {
        params: { path: { codeUnit: 'update-ledgers' }, header: { 'If-Match': '*' } },
        body: { maxAttempts: 99 },
      }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiProblemError);
    const problem = (refused as ApiProblemError).problem;
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((issue) => issue.field)).toContain('maxAttempts');
    expect((refused as ApiProblemError).message).toContain('maxAttempts');
  });

  test('a wrong token is a 401 problem, not a crash', async () => {
    const client = createApiClient({ baseUrl: running.url, token: 'not-the-token-at-all-000000' });
    const refused = await unwrap(client.GET('/queues')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiProblemError);
    expect((refused as ApiProblemError).status).toBe(401);
  });

  test('every request goes through the signer, which may add headers, after the token is set', async () => {
    const seen: string[] = [];
    const client = createApiClient({
      baseUrl: running.url,
      sign: async (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        const signed = new Request(request);
        signed.headers.set('authorization', `Bearer ${TOKEN}`);
        return signed;
      },
    });
    const { data } = await unwrap(client.GET('/queues'));
    expect(data.items).toHaveLength(5);
    expect(seen).toEqual(['GET /queues']);
  });

  test('an API nobody answers at is an ApiUnreachableError naming the URL', async () => {
    const client = createApiClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN });
    const error = await unwrap(client.GET('/queues'), 'http://127.0.0.1:9').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as Error).message).toContain('http://127.0.0.1:9');
  });

  test('problemLine joins the title, the detail and each field', () => {
    expect(
      problemLine({ type: 'x', title: 'The request has invalid fields', status: 400, detail: 'One field is invalid.', instance: '/q', errors: [{ field: 'description', reason: 'must not be empty' }] }),
    ).toBe('The request has invalid fields: One field is invalid.; description: must not be empty');
  });
});
