import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';
import { incomingDocumentsCodeUnit, PURCHASE_STREAM } from '../../../functions/code-units/incoming-documents/incoming-documents.js';
import { LEDGER_STREAM, updateLedgersCodeUnit } from '../../../functions/code-units/update-ledgers/update-ledgers.js';
import { ManualClock } from '../../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import { KsefRateLimitError } from '../../../functions/ports/ksef-errors.js';
import { overriding } from '../outgoing/gateway-override.js';
import { gatewayFor, memoryStores, runContext, SUPPLIER_NIP } from './helpers/inbound-world.js';

/*
 * KSeF allows 20 metadata queries and 20 exports an hour (README §9). Reaching that limit is not a
 * failure of update-ledgers or incoming-documents: the run keeps what it did, succeeds, and says how
 * much it left for a later run; the marks stay where the last finished window or package left them.
 */

const validator = new XmllintXsdValidator();
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
let sim: KsefSimulator;

/** Each test acts for a company of its own, so that one simulator serves them all. */
const COMPANIES = { often: '8012345677', refused: '8123456782', exports: '8234567898', exportRefused: '8456789010' } as const;

beforeAll(async () => {
  // KSeF's production limits, as the simulator enforces them by default.
  sim = await createKsefSimulator({ clock, validator, accessTokenTtlMs: 86_400_000 });
});

afterAll(async () => {
  await sim.close();
  await validator.close();
});

const rateLimited = (path: string) => new KsefRateLimitError({ status: 429, method: 'POST', path, errors: [], retryAfterMs: 3_000_000 });

describe('update-ledgers at KSeF hourly limit for metadata queries', () => {
  it('an admin running update-ledgers every five minutes meets the limit in the seventh run, which succeeds with the windows it could not ask postponed', async () => {
    // Prepare: one-day windows 30 days back, so that every run asks for its three windows.
    const stores = memoryStores();
    const gateway = gatewayFor(sim, COMPANIES.often);
    const unit = updateLedgersCodeUnit({ ...stores, ksef: gateway, options: { maxWindowDays: 1 } });
    for (let run = 1; run <= 6; run++) {
      await unit.run(runContext('update-ledgers', clock));
      clock.advance(5 * MINUTE);
    }
    const markBefore = (await stores.syncState.get(LEDGER_STREAM))?.mark as string;

    // Act: the 21st query of the hour is refused by the client's rate budget.
    const result = await unit.run(runContext('update-ledgers', clock));

    // Assess
    expect(result.counters).toMatchObject({ ksefWindows: 2 });
    expect(result.counters['windowsPostponed']).toBeGreaterThan(0);
    expect((await stores.syncState.get(LEDGER_STREAM))?.mark).toBe(new Date(Date.parse(markBefore) + 2 * DAY).toISOString());
  });

  it('a run whose first window KSeF refuses with 429 asks for nothing more, keeps the mark, and a later run asks for that window', async () => {
    // Prepare
    const stores = memoryStores();
    const gateway = gatewayFor(sim, COMPANIES.refused);
    await updateLedgersCodeUnit({ ...stores, ksef: gateway }).run(runContext('update-ledgers', clock));
    const mark = (await stores.syncState.get(LEDGER_STREAM))?.mark;
    clock.advance(30 * MINUTE);
    let asked = 0;
    const refusing = overriding(gateway, {
      queryInvoiceMetadata: () => {
        asked += 1;
        return Promise.reject(rateLimited('/invoices/query/metadata'));
      },
    });

    // Act
    const refused = await updateLedgersCodeUnit({ ...stores, ksef: refusing }).run(runContext('update-ledgers', clock));
    const later = await updateLedgersCodeUnit({ ...stores, ksef: gateway }).run(runContext('update-ledgers', clock));

    // Assess
    expect(asked).toBe(1);
    expect(refused.counters).toMatchObject({ ksefWindows: 0, windowsPostponed: 1 });
    expect(later.counters).toMatchObject({ ksefWindows: 1 });
    expect(later.counters['windowsPostponed']).toBeUndefined();
    expect(Date.parse((await stores.syncState.get(LEDGER_STREAM))?.mark as string)).toBeGreaterThan(Date.parse(mark as string));
  });
});

describe('incoming-documents at KSeF hourly limit for exports', () => {
  it('a run that meets the export limit after some packages keeps what it stored, succeeds, and the next run goes on from its mark', async () => {
    // Prepare: packages of 4 invoices, and only two exports an hour.
    const small = await createKsefSimulator({ clock, validator, exportInvoiceCap: 4, accessTokenTtlMs: 86_400_000, rateLimits: { invoiceExport: { perSecond: 8, perMinute: 16, perHour: 2 } } });
    try {
      for (let i = 1; i <= 10; i++) {
        clock.advance(MINUTE);
        await small.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANIES.exports, invoiceNumber: `L-${i}` });
      }
      clock.advance(MINUTE);
      const stores = memoryStores();

      // Act
      const first = await incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(small, COMPANIES.exports) }).run(runContext('incoming-documents', clock));
      const markAfterFirst = (await stores.syncState.get(PURCHASE_STREAM))?.mark;
      clock.advance(61 * MINUTE);
      const next = await incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(small, COMPANIES.exports) }).run(runContext('incoming-documents', clock));

      // Assess
      expect(first.counters).toMatchObject({ packages: 2, packagesPostponed: 1 });
      expect(first.counters['incomingAdded']).toBeLessThan(10);
      expect(markAfterFirst).toBeDefined();
      expect(next.counters['incomingAdded']).toBe(10 - (first.counters['incomingAdded'] ?? 0));
      expect(next.counters['packagesPostponed']).toBeUndefined();
      expect((await stores.incoming.list({ limit: 100 })).items).toHaveLength(10);
    } finally {
      await small.close();
    }
  });

  it('a run whose export KSeF refuses with 429 stores nothing, leaves the mark alone and succeeds', async () => {
    // Prepare
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANIES.exportRefused, invoiceNumber: 'R-1' });
    clock.advance(MINUTE);
    const stores = memoryStores();
    const refusing = overriding(gatewayFor(sim, COMPANIES.exportRefused), { syncInvoices: () => Promise.reject(rateLimited('/invoices/exports')) });

    // Act
    const result = await incomingDocumentsCodeUnit({ ...stores, ksef: refusing }).run(runContext('incoming-documents', clock));

    // Assess
    expect(result.counters).toEqual({ incomingAdded: 0, incomingSeen: 0, packages: 0, packagesPostponed: 1 });
    expect(await stores.syncState.get(PURCHASE_STREAM)).toBeUndefined();
  });
});
