import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';
import { incomingDocumentsCodeUnit, PURCHASE_STREAM } from '../../../functions/code-units/incoming-documents/incoming-documents.js';
import { updateLedgersCodeUnit } from '../../../functions/code-units/update-ledgers/update-ledgers.js';
import { ManualClock } from '../../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import { COMPANY_NIP, CUSTOMER_NIP, gatewayFor, memoryStores, recordedDocument, runContext, SUPPLIER_NIP } from './helpers/inbound-world.js';

/*
 * KSeF stores an invoice for good some time after it gives the KSeF number, and its high-water mark
 * stays before an invoice not stored yet. A sync that moved its mark past the high-water mark (to
 * "now", say) would never see the invoices stored after it had passed them. A simulator of its
 * own: the high-water mark is one for the whole system.
 */

const validator = new XmllintXsdValidator();
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let sim: KsefSimulator;

beforeAll(async () => {
  sim = await createKsefSimulator({ clock, validator, rateLimits: false, accessTokenTtlMs: 86_400_000 });
});

afterAll(async () => {
  await sim.close();
  await validator.close();
});

const purchase = (invoiceNumber: string, permanentStorageDate?: Date) =>
  sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANY_NIP, invoiceNumber, issueDate: '2026-03-02', ...(permanentStorageDate ? { permanentStorageDate } : {}) });

describe('incoming-documents and invoices that KSeF stores late', () => {
  it('a purchase invoice stored only after a first run holds that run back, and a later run adds it and those after it, each once', async () => {
    // Prepare: two stored invoices, one stored half an hour late, and one after it stored at once.
    const stores = memoryStores();
    const unit = incomingDocumentsCodeUnit({ ksef: gatewayFor(sim), ...stores });
    for (const n of [1, 2]) {
      clock.advance(60_000);
      await purchase(`ON-TIME/${n}`);
    }
    clock.advance(60_000);
    const late = await purchase('LATE/1', new Date(clock.now().getTime() + 30 * 60_000));
    clock.advance(60_000);
    await purchase('AFTER-LATE/1');
    clock.advance(60_000);

    // Act
    const first = await unit.run(runContext('incoming-documents', clock));
    const markAfterFirst = (await stores.syncState.get(PURCHASE_STREAM))?.mark;
    clock.advance(35 * 60_000);
    const second = await unit.run(runContext('incoming-documents', clock));
    clock.advance(20 * 60_000);
    const third = await unit.run(runContext('incoming-documents', clock));

    // Assess
    expect(first.counters.incomingAdded).toBe(2);
    expect(Date.parse(markAfterFirst ?? '')).toBeLessThan(late.acquisitionDate.getTime());
    expect(second.counters.incomingAdded).toBe(2);
    expect(third.counters.incomingAdded).toBe(0);
    const numbers: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await stores.incoming.list({ limit: 100, cursor });
      numbers.push(...page.items.map((doc) => doc.fields.invoiceNumber));
      cursor = page.nextCursor;
    } while (cursor);
    expect(numbers.sort()).toEqual(['AFTER-LATE/1', 'LATE/1', 'ON-TIME/1', 'ON-TIME/2']);
  });
});

describe('update-ledgers and sales that KSeF stores late', () => {
  it('an accepted sale that KSeF has numbered but not stored yet is not judged missing, and once stored its ledger row stays clean', async () => {
    // Prepare: KSeF stores it ten minutes late, within the ledger's settle margin (15 minutes).
    const seller = '8889990009';
    const stores = memoryStores();
    const unit = updateLedgersCodeUnit({ ...stores, ksef: gatewayFor(sim, seller) });
    clock.advance(60_000);
    const sale = await sim.seedIncomingInvoice({ sellerNip: seller, buyerNip: CUSTOMER_NIP, invoiceNumber: 'SALE/LATE/1', permanentStorageDate: new Date(clock.now().getTime() + 10 * 60_000) });
    await recordedDocument(stores.documents, sale.xml, 'sale-late-1', 'Accepted', { ksefNumber: sale.ksefNumber, acquisitionDate: sale.acquisitionDate.toISOString() });
    clock.advance(8 * 60_000);

    // Act
    const whileUnstored = await unit.run(runContext('update-ledgers', clock));
    const rowWhileUnstored = await stores.ledger.get(sale.ksefNumber);
    clock.advance(30 * 60_000);
    const afterStorage = await unit.run(runContext('update-ledgers', clock));

    // Assess
    expect(whileUnstored.counters.unknownInKsef).toBe(0);
    expect(rowWhileUnstored?.flags).toEqual([]);
    expect(afterStorage.counters).toMatchObject({ unknownInKsef: 0, notSentByUs: 0 });
    expect((await stores.ledger.get(sale.ksefNumber))?.flags).toEqual([]);
  });
});
