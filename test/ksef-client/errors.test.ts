import { describe, expect, it } from 'vitest';
import { KsefRateLimitError } from '../../functions/ports/ksef-errors.js';
import { errorFromResponse, parseRetryAfter } from '../../functions/adapters/ksef/client/http/parse-error.js';

describe('KSeF error responses', () => {
  it('a problem+json 400 becomes an error carrying its KSeF codes', async () => {
    const body = { title: 'Bad Request', status: 400, errors: [{ code: 21470, description: 'Przesłany identyfikator klucza jest nieznany', details: ['publicKeyId'] }], traceId: 't-1' };
    const error = await errorFromResponse(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/problem+json' } }), 'POST', '/sessions/online', 0);
    expect(error.hasCode(21470)).toBe(true);
    expect(error.codes).toEqual([21470]);
    expect(error.traceId).toBe('t-1');
    expect(error.message).toContain('21470');
  });

  it('the legacy exception list is read as well', async () => {
    const body = { exception: { exceptionDetailList: [{ exceptionCode: 21405, exceptionDescription: 'Błąd walidacji', details: ['pageSize'] }], referenceNumber: 'r-1' } };
    const error = await errorFromResponse(new Response(JSON.stringify(body), { status: 400 }), 'GET', '/sessions', 0);
    expect(error.errors).toEqual([{ code: 21405, description: 'Błąd walidacji', details: ['pageSize'] }]);
  });

  it('a 429 is a rate-limit error with Retry-After in milliseconds', async () => {
    const body = { status: { code: 429, description: 'Too Many Requests', details: ['Spróbuj ponownie po 30 sekundach.'] } };
    const error = await errorFromResponse(new Response(JSON.stringify(body), { status: 429, headers: { 'retry-after': '30' } }), 'GET', '/sessions', 0);
    expect(error).toBeInstanceOf(KsefRateLimitError);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('Retry-After may be an HTTP date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:10 GMT', Date.parse('2026-11-25T10:00:00Z'))).toBe(10_000);
  });
});
