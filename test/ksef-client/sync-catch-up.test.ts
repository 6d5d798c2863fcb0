import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { MAX_SYNC_WINDOW_MS } from '../../functions/adapters/ksef/client/invoices/export-invoices.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';

const NIP = '5265877635';
const SELLER = '7010002137';
const DAY_MS = 86_400_000;
const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };

let sim: KsefSimulator;
let gateway: HttpKsefGateway;
const exportRanges: { from: string; to?: string }[] = [];
const seeded = new Map<string, number>();

beforeAll(async () => {
  sim = await createKsefSimulator({ delays: NO_DELAYS, rateLimits: false });
  // Purchase invoices stored 200, 120, 40 and 1 day(s) ago: a sync mark 250 days back spans more than 3 months.
  for (const daysAgo of [200, 120, 40, 1]) {
    const at = new Date(Date.now() - daysAgo * DAY_MS);
    const stored = await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: NIP, invoiceNumber: `ZAK/${daysAgo}`, acquisitionDate: at, permanentStorageDate: at });
    seeded.set(stored.ksefNumber, daysAgo);
  }
  const timer: Timer = { now: () => Date.now(), sleep: async () => undefined };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if ((init?.method ?? 'GET') === 'POST' && url.pathname.endsWith('/invoices/exports')) {
      const body = JSON.parse(Buffer.from(init?.body as ArrayBuffer).toString('utf8')) as { filters: { dateRange: { from: string; to?: string } } };
      exportRanges.push(body.filters.dateRange);
    }
    return fetch(input, init);
  };
  const token = sim.registerKsefToken({ nip: NIP });
  gateway = new HttpKsefGateway({ environment: { name: 'LOCAL', baseUrl: sim.url }, nip: NIP, credentials: { kind: 'token', token }, timer, onWarning: () => undefined, fetchImpl });
});

afterAll(async () => {
  await sim.close();
});

describe('the KSeF client catching up an incremental sync whose mark is more than 3 months back', () => {
  it('walks from a mark 250 days back to the high-water mark in windows KSeF accepts, and gets every purchase invoice once', async () => {
    // Prepare
    let from = new Date(Date.now() - 250 * DAY_MS).toISOString();
    const received: string[] = [];
    // Act
    for (let round = 0; round < 10; round++) {
      const pkg = await gateway.syncInvoices({ subjectType: 'Subject2', from });
      received.push(...pkg.invoices.map((invoice) => invoice.metadata.ksefNumber));
      expect(Date.parse(pkg.nextFrom)).toBeGreaterThan(Date.parse(from));
      from = pkg.nextFrom;
      if (!pkg.isTruncated) break;
    }
    const again = await gateway.syncInvoices({ subjectType: 'Subject2', from });
    // Assess
    expect(received.sort()).toEqual([...seeded.keys()].sort());
    expect(again.invoices.filter((invoice) => !received.includes(invoice.metadata.ksefNumber))).toEqual([]);
    // 250 days: two full windows of 89 days, then one up to the high-water mark with no end of its own.
    const [first, second, third] = exportRanges;
    expect([first, second].every((range) => range?.to !== undefined && Date.parse(range.to) - Date.parse(range.from) === MAX_SYNC_WINDOW_MS)).toBe(true);
    expect(second?.from).toBe(first?.to);
    expect(third?.from).toBe(second?.to);
    expect(third?.to).toBeUndefined();
  });
});
