import { describe, expect, it } from 'vitest';
import { KsefApiError, KsefUnknownOutcomeError } from '../../functions/ports/ksef-errors.js';
import { RateBudget, type Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { KsefTransport } from '../../functions/adapters/ksef/client/http/transport.js';

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
const post = (path: string) => new Request(`${BASE}${path}`, { method: 'POST', body: '{}' });
const get = (path: string) => new Request(`${BASE}${path}`);

describe('the KSeF transport', () => {
  it('a POST whose connection breaks after sending is an unknown outcome and is not repeated', async () => {
    const { calls, transport } = scripted(networkError('ECONNRESET'));
    await expect(transport.fetch(post('/sessions/online/X/invoices'))).rejects.toBeInstanceOf(KsefUnknownOutcomeError);
    expect(calls).toHaveLength(1);
  });

  it('a POST answered 503 is an unknown outcome and is not repeated', async () => {
    const { calls, transport } = scripted(new Response('{}', { status: 503 }));
    await expect(transport.fetch(post('/sessions/online/X/close'))).rejects.toBeInstanceOf(KsefUnknownOutcomeError);
    expect(calls).toHaveLength(1);
  });

  it('a POST refused at connect never reached KSeF and is repeated', async () => {
    const { calls, transport } = scripted(networkError('ECONNREFUSED'), new Response('{"ok":true}', { status: 200 }));
    const response = await transport.fetch(post('/sessions/online'));
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('a GET is repeated after a 503 and after a network error', async () => {
    const { calls, transport } = scripted(new Response('', { status: 503 }), networkError('ECONNRESET'), new Response('{}', { status: 200 }));
    expect((await transport.fetch(get('/sessions/X'))).status).toBe(200);
    expect(calls).toHaveLength(3);
  });

  it('a 400 is a typed error at once, with the problem-details header sent', async () => {
    let sentHeader: string | null = null;
    const transport = new KsefTransport({
      baseUrl: BASE,
      budget: new RateBudget(timer),
      timer,
      requestTimeoutMs: 1000,
      fetchImpl: (async (_input: URL | RequestInfo, init?: RequestInit) => {
        sentHeader = new Headers(init?.headers).get('x-error-format');
        return new Response(JSON.stringify({ status: 400, errors: [{ code: 21405, description: 'Błąd walidacji' }] }), { status: 400 });
      }) as typeof fetch,
    });
    await expect(transport.fetch(get('/sessions/X'))).rejects.toSatisfy((e) => e instanceof KsefApiError && e.hasCode(21405));
    expect(sentHeader).toBe('problem-details');
  });
});
