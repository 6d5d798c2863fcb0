import { describe, expect, it } from 'vitest';
import { RateBudget, type Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { KsefTransport } from '../../functions/adapters/ksef/client/http/transport.js';
import { KsefApiError, KsefUnknownOutcomeError } from '../../functions/ports/ksef-errors.js';

/*
 * A POST that KSeF answered with a 5xx and one that got no answer at all are both of unknown outcome,
 * but they are different events and the error says which. POSTs that change nothing in KSeF (the
 * metadata query, the auth challenge) are not of unknown outcome at all: they are repeated like GETs.
 */

const timer: Timer = { now: () => 0, sleep: async () => undefined };
const BASE = 'http://127.0.0.1:9/v2';

/** A fetch that plays back the given outcomes in order and counts the calls. */
function scripted(...outcomes: Array<Response | Error>) {
  const calls: string[] = [];
  const impl = (async (input: URL | RequestInfo, init?: RequestInit) => {
    calls.push(`${init?.method} ${String(input)}`);
    const next = outcomes.shift();
    if (!next) throw new Error('no more outcomes');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { calls, transport: new KsefTransport({ baseUrl: BASE, budget: new RateBudget(timer), timer, requestTimeoutMs: 1000, fetchImpl: impl }) };
}

const networkError = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
const post = (path: string) => new Request(`${BASE}${path}`, { method: 'POST', body: '{"subjectType":"Subject1"}' });
const unavailable = () => new Response(JSON.stringify({ status: 503, errors: [{ code: 21999, description: 'Service unavailable' }] }), { status: 503 });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the request should have failed'),
    (error: unknown) => error,
  );
}

describe('the KSeF transport, on outcomes it cannot know', () => {
  it('a sending POST that KSeF answered 503 is an unknown outcome whose message says KSeF answered HTTP 503, not that the response was lost', async () => {
    // Prepare
    const { calls, transport } = scripted(unavailable());

    // Act
    const error = await failureOf(transport.fetch(post('/sessions/online/X/invoices')));

    // Assess
    expect(error).toBeInstanceOf(KsefUnknownOutcomeError);
    expect((error as Error).message).toContain('HTTP 503');
    expect((error as Error).message).toContain('21999');
    expect((error as Error).message).not.toContain('response was lost');
    expect(calls).toHaveLength(1);
  });

  it('a sending POST whose connection breaks after sending is an unknown outcome whose message says no response came', async () => {
    // Prepare
    const { transport } = scripted(networkError('ECONNRESET'));

    // Act
    const error = await failureOf(transport.fetch(post('/sessions/online/X/close')));

    // Assess
    expect(error).toBeInstanceOf(KsefUnknownOutcomeError);
    expect((error as Error).message).toMatch(/no response came .*ECONNRESET/);
    expect((error as Error).message).not.toContain('HTTP');
  });

  it('a sending POST that times out is an unknown outcome whose message names the timeout', async () => {
    // Prepare
    const { transport } = scripted(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));

    // Act
    const error = await failureOf(transport.fetch(post('/sessions/online')));

    // Assess
    expect(error).toBeInstanceOf(KsefUnknownOutcomeError);
    expect((error as Error).message).toContain('within the request timeout');
  });

  it('the metadata query is repeated after a 503 and after a broken connection, like a GET', async () => {
    // Prepare
    const { calls, transport } = scripted(unavailable(), networkError('ECONNRESET'), new Response('{"invoices":[]}', { status: 200 }));

    // Act
    const response = await transport.fetch(post('/invoices/query/metadata?pageSize=250'));

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
  });

  it('a metadata query KSeF answers 503 every time ends in KSeF own 503 error, not in an unknown outcome', async () => {
    // Prepare
    const { calls, transport } = scripted(unavailable(), unavailable(), unavailable(), unavailable());

    // Act
    const error = await failureOf(transport.fetch(post('/invoices/query/metadata')));

    // Assess
    expect(error).toBeInstanceOf(KsefApiError);
    expect((error as KsefApiError).status).toBe(503);
    expect(calls).toHaveLength(4);
  });

  it('the auth challenge is repeated after a 502', async () => {
    // Prepare
    const { calls, transport } = scripted(new Response('', { status: 502 }), new Response('{"challenge":"c"}', { status: 200 }));

    // Act
    const response = await transport.fetch(new Request(`${BASE}/auth/challenge`, { method: 'POST' }));

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('an export answered 503 is still an unknown outcome and is not repeated, since it starts work in KSeF', async () => {
    // Prepare
    const { calls, transport } = scripted(unavailable(), new Response('{}', { status: 200 }));

    // Act
    const error = await failureOf(transport.fetch(post('/invoices/exports')));

    // Assess
    expect(error).toBeInstanceOf(KsefUnknownOutcomeError);
    expect(calls).toHaveLength(1);
  });
});
