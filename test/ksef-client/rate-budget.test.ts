import { describe, expect, it } from 'vitest';
import { KsefRateBudgetExhaustedError } from '../../functions/ports/ksef-errors.js';
import { RateBudget, type Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { rateLimitKey } from '../../functions/adapters/ksef/client/http/rate-limit-groups.js';

/** A clock that only moves when someone sleeps. */
function fakeTimer(): Timer & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('client-side rate budget', () => {
  it('requests within every window go out without waiting', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    for (let i = 0; i < 10; i++) await budget.acquire('invoiceSend', 'invoiceSend');
    expect(timer.slept).toEqual([]);
  });

  it('the eleventh send in one second waits for the per-second window instead of provoking a 429', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    for (let i = 0; i < 11; i++) await budget.acquire('invoiceSend', 'invoiceSend');
    expect(timer.slept).toEqual([1000]);
  });

  it('the per-hour limit of the metadata query holds the 21st request for an hour', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    const start = timer.now();
    for (let i = 0; i < 21; i++) await budget.acquire('invoiceMetadata', 'invoiceMetadata');
    expect(timer.now() - start).toBeGreaterThanOrEqual(3_600_000);
  });

  it('limits read from GET /rate-limits replace the defaults', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    budget.setLimits({ invoiceSend: { perSecond: 2, perMinute: 100, perHour: 1000 } });
    for (let i = 0; i < 3; i++) await budget.acquire('invoiceSend', 'invoiceSend');
    expect(timer.slept).toEqual([1000]);
  });

  it('after a 429 nothing goes to that counter until Retry-After has passed', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    budget.block('invoiceStatus', 30_000);
    await budget.acquire('invoiceStatus', 'invoiceStatus');
    expect(timer.slept).toEqual([30_000]);
  });

  it('a wait longer than the caller allows is not started and says when to come back', async () => {
    const timer = fakeTimer();
    const budget = new RateBudget(timer, 0);
    for (let i = 0; i < 20; i++) await budget.acquire('invoiceMetadata', 'invoiceMetadata', undefined, 120_000);
    const error = await budget.acquire('invoiceMetadata', 'invoiceMetadata', undefined, 120_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KsefRateBudgetExhaustedError);
    expect((error as KsefRateBudgetExhaustedError).retryAfterMs).toBeGreaterThan(3_000_000);
    expect(timer.slept.every((ms) => ms <= 120_000)).toBe(true);
  });

  it('endpoints map to the limit groups of README §9', () => {
    const ref = '20250625-SO-2C3E6C8000-B675CF5D68-07';
    const inv = '20250625-EE-319D7EE000-B67F415CDC-2C';
    expect(rateLimitKey('POST', '/sessions/online').group).toBe('onlineSession');
    expect(rateLimitKey('POST', `/sessions/online/${ref}/close`).group).toBe('onlineSession');
    expect(rateLimitKey('POST', `/sessions/online/${ref}/invoices`).group).toBe('invoiceSend');
    expect(rateLimitKey('GET', `/sessions/${ref}/invoices/${inv}`).group).toBe('invoiceStatus');
    expect(rateLimitKey('GET', `/sessions/${ref}/invoices`).group).toBe('sessionInvoiceList');
    expect(rateLimitKey('GET', `/sessions/${ref}/invoices/failed`).group).toBe('sessionInvoiceList');
    expect(rateLimitKey('GET', `/sessions/${ref}/invoices/${inv}/upo`).group).toBe('sessionMisc');
    expect(rateLimitKey('GET', `/sessions/${ref}`).group).toBe('sessionMisc');
    expect(rateLimitKey('POST', '/invoices/query/metadata').group).toBe('invoiceMetadata');
    expect(rateLimitKey('GET', '/invoices/ksef/5265877635-20250826-0100001AF629-AF').group).toBe('invoiceDownload');
    expect(rateLimitKey('POST', '/auth/challenge').group).toBe('public');
    expect(rateLimitKey('GET', '/auth/20250514-AU-2DFC46C000-3AC6D5877F-D4').group).toBe('public');
    expect(rateLimitKey('GET', '/rate-limits')).toEqual({ group: 'other', key: 'other GET /rate-limits' });
  });
});
