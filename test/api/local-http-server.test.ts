import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startLocalApiServer, tokenMatches, type RunningLocalApiServer } from '../../functions/adapters/local/http-server.js';
import { conformanceProblems } from './openapi-conformance.js';
import { createApiTestClient } from '../helpers/api-test-client.js';

const TOKEN = 'local-test-token-0123456789abcdef';

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly body: any;
}

describe('the local HTTP server in front of the management API', () => {
  let running: RunningLocalApiServer;
  const api = createApiTestClient({ localActor: 'local-admin' });

  beforeAll(async () => {
    running = await startLocalApiServer({ handler: api.handler, token: TOKEN, port: 0, maxBodyBytes: 4_096 });
  });

  afterAll(async () => {
    await running.close();
  });

  async function call(method: string, path: string, init: { token?: string | null; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
    const token = init.token === undefined ? TOKEN : init.token;
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = { status: response.status, headers, text, body: text === '' ? undefined : JSON.parse(text) };
    expect(conformanceProblems(method, path, answer), `${method} ${path} conforms`).toEqual([]);
    return answer;
  }

  test('it listens on a free loopback port', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a request without a token is a 401 problem with a Bearer challenge', async () => {
    const response = await call('GET', '/queues', { token: null });

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="ksef-job-queues"');
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/unauthenticated');
  });

  test('a wrong token is a 401 and changes nothing', async () => {
    const response = await call('POST', '/queues/process-upo', { token: `${TOKEN}x` });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(await api.deps.entries.get('process-upo')).toBeUndefined();
  });

  test('another scheme than Bearer is a 401', async () => {
    const response = await call('GET', '/queues', { token: null, headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } });

    expect(response.status).toBe(401);
  });

  test('the OpenAPI document is served without a token', async () => {
    const response = await call('GET', '/openapi.json', { token: null });

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
  });

  test('with the token the API answers, and changes are made by the local admin', async () => {
    const created = await call('POST', '/queues/send-documents');
    const ready = await call('POST', '/queues/send-documents/status', { headers: { 'content-type': 'application/json' }, body: '{"status":"Ready"}' });
    const list = await call('GET', '/queues');

    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/queues/send-documents');
    expect(created.headers.etag).toBe('"1"');
    expect(ready.body.entry).toMatchObject({ status: 'Ready', updatedBy: 'local-admin' });
    expect(list.body.items[0]).toMatchObject({ codeUnit: 'send-documents', entry: { status: 'Ready' } });
  });

  test('query strings reach the handler', async () => {
    const response = await call('GET', '/queues/send-documents/runs?limit=abc');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 100' }]);
  });

  test('invalid JSON over HTTP is a 400 naming the body', async () => {
    const response = await call('POST', '/queues/send-documents/status', { headers: { 'content-type': 'application/json' }, body: '{"status":' });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('body');
  });

  test('a body over the limit is a 413 problem', async () => {
    const response = await call('POST', '/queues/send-documents/status', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'x'.repeat(10_000) }) });

    expect(response.status).toBe(413);
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/payload-too-large');
  });

  test('a wrong method is a 405 with Allow', async () => {
    const response = await call('PUT', '/queues');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });
});

describe('the token comparison', () => {
  test('only the exact token matches, whatever the lengths', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}0`, TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });
});

describe('the events the local server builds', () => {
  test('the handler receives an API Gateway payload 2.0 event with lower-case headers, the raw query and no authorizer', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const running = await startLocalApiServer({
      token: TOKEN,
      handler: async (event) => {
        events.push(event);
        return { statusCode: 204, headers: {} };
      },
    });
    try {
      await fetch(`${running.url}/queues/send-documents/runs?limit=5&cursor=a%2Bb`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'X-Custom': 'yes' },
        body: '{"a":1}',
      });
    } finally {
      await running.close();
    }

    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/queues/send-documents/runs',
      rawQueryString: 'limit=5&cursor=a%2Bb',
      queryStringParameters: { limit: '5', cursor: 'a+b' },
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'PATCH', path: '/queues/send-documents/runs' }, stage: '$default' },
    });
    expect(event?.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'yes' });
    expect((event?.requestContext as { authorizer?: unknown }).authorizer).toBeUndefined();
  });
});
