import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';
import { incomingDocumentsCodeUnit, PURCHASE_STREAM, type IncomingDocumentsDeps } from '../../../functions/code-units/incoming-documents/incoming-documents.js';
import type { IncomingDocument } from '../../../functions/domain/documents.js';
import { ManualClock } from '../../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { IncomingDocumentRepository } from '../../../functions/ports/incoming-document-repository.js';
import { COMPANY_NIP, gatewayFor, memoryStores, runContext, SUPPLIER_NIP } from './helpers/inbound-world.js';

const validator = new XmllintXsdValidator();
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let sim: KsefSimulator;

/** Each test acts for a company of its own, so that one simulator (slow to start) serves them all. */
const OTHER_COMPANIES = { hwm: '2223334443', throttle: '3334445554', deadline: '4445556665' } as const;

async function seedPurchases(buyerNip: string, prefix: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    clock.advance(60_000);
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip, invoiceNumber: `${prefix}-${i}`, issueDate: '2026-03-01' });
  }
  clock.advance(60_000);
}

beforeAll(async () => {
  sim = await createKsefSimulator({ clock, validator, rateLimits: false });
  await seedPurchases(COMPANY_NIP, 'IN', 20);
});

afterAll(async () => {
  await sim.close();
  await validator.close();
});

function setup(overrides: Partial<IncomingDocumentsDeps> = {}, nip = COMPANY_NIP) {
  const stores = memoryStores();
  const deps: IncomingDocumentsDeps = { ksef: gatewayFor(sim, nip), ...stores, ...overrides };
  return { stores, deps, unit: incomingDocumentsCodeUnit(deps) };
}

async function allIncoming(repo: IncomingDocumentRepository): Promise<IncomingDocument[]> {
  const found: IncomingDocument[] = [];
  let cursor: string | null = null;
  do {
    const page = await repo.list({ limit: 100, cursor });
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

describe('incoming-documents against the KSeF simulator', () => {
  it('20 purchase invoices seeded in KSeF become 20 incoming documents with their fields parsed and their XML stored', async () => {
    // Prepare
    const { stores, unit } = setup();
    // Act
    const result = await unit.run(runContext('incoming-documents', clock));
    // Assess
    const docs = await allIncoming(stores.incoming);
    expect(result.counters).toEqual({ incomingAdded: 20, incomingSeen: 20, packages: 1 });
    expect(docs).toHaveLength(20);
    expect(new Set(docs.map((d) => d.fields.invoiceNumber))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `IN-${i + 1}`)));
    const first = docs.find((d) => d.fields.invoiceNumber === 'IN-1')!;
    expect(first.fields).toMatchObject({
      sellerNip: SUPPLIER_NIP,
      sellerName: 'Elektrownia S.A.',
      buyer: { type: 'Nip', value: COMPANY_NIP },
      issueDate: '2026-03-01',
      currency: 'PLN',
      netAmount: '43.60',
      vatAmount: '10.03',
      grossAmount: '53.63',
    });
    expect(first.ksefNumber).toMatch(new RegExp(`^${SUPPLIER_NIP}-20260302-`));
    expect(first.acquisitionDate).toBe('2026-03-02T09:01:00.000Z');
    const xml = new TextDecoder().decode(await stores.blobs.get(first.xmlKey));
    expect(xml).toContain('<P_2>IN-1</P_2>');
    expect(first.sizeBytes).toBe(Buffer.byteLength(xml));
  });

  it('a second run adds nothing', async () => {
    // Prepare
    const { stores, unit } = setup();
    await unit.run(runContext('incoming-documents', clock));
    clock.advance(60_000);
    // Act
    const second = await unit.run(runContext('incoming-documents', clock, { trigger: 'manual' }));
    // Assess
    expect(second.counters.incomingAdded).toBe(0);
    expect(await allIncoming(stores.incoming)).toHaveLength(20);
  });

  it('the high-water mark KSeF reports is persisted, and the next run fetches only what arrived after it', async () => {
    // Prepare
    await seedPurchases(OTHER_COMPANIES.hwm, 'HWM', 3);
    const { stores, unit } = setup({}, OTHER_COMPANIES.hwm);
    const exportedAt = clock.now().toISOString();
    await unit.run(runContext('incoming-documents', clock));
    const mark = await stores.syncState.get(PURCHASE_STREAM);
    clock.advance(20 * 60_000);
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: OTHER_COMPANIES.hwm, invoiceNumber: 'LATE-1', issueDate: '2026-03-02' });
    clock.advance(60_000);
    // Act
    const next = await unit.run(runContext('incoming-documents', clock));
    // Assess
    expect(mark?.mark).toBe(exportedAt);
    expect(next.counters).toEqual({ incomingAdded: 1, incomingSeen: 1, packages: 1 });
    expect((await stores.syncState.get(PURCHASE_STREAM))?.mark).toBe(clock.now().toISOString());
    expect(await allIncoming(stores.incoming)).toHaveLength(4);
  });

  it('a run that crashes half-way through a package leaves the mark alone, and the next run completes it without duplicates', async () => {
    // Prepare
    const { stores } = setup();
    let adds = 0;
    const crashing: IncomingDocumentRepository = {
      get: (k) => stores.incoming.get(k),
      list: (q) => stores.incoming.list(q),
      add: async (doc) => {
        adds += 1;
        if (adds === 11) throw new Error('the process died');
        return stores.incoming.add(doc);
      },
    };
    const crashingUnit = incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(sim), incoming: crashing });
    const crash = crashingUnit.run(runContext('incoming-documents', clock));
    await expect(crash).rejects.toThrow('the process died');
    const markAfterCrash = await stores.syncState.get(PURCHASE_STREAM);
    const afterCrash = (await allIncoming(stores.incoming)).length;
    // Act
    const retry = await incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(sim) }).run(runContext('incoming-documents', clock, { trigger: 'retry' }));
    // Assess
    const docs = await allIncoming(stores.incoming);
    expect(markAfterCrash).toBeUndefined();
    expect(afterCrash).toBe(10);
    expect(retry.counters).toEqual({ incomingAdded: 10, incomingSeen: 20, packages: 1 });
    expect(docs).toHaveLength(20);
    expect(new Set(docs.map((d) => d.ksefNumber)).size).toBe(20);
    expect((await stores.syncState.get(PURCHASE_STREAM))?.version).toBe(1);
  });

  it('a scheduled run within 15 minutes of the last package asks KSeF nothing', async () => {
    // Prepare
    await seedPurchases(OTHER_COMPANIES.throttle, 'THR', 2);
    const { unit } = setup({}, OTHER_COMPANIES.throttle);
    await unit.run(runContext('incoming-documents', clock));
    clock.advance(5 * 60_000);
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: OTHER_COMPANIES.throttle, invoiceNumber: 'SOON-1' });
    clock.advance(60_000);
    const exportsBefore = sim.state.exports.size;
    // Act
    const result = await unit.run(runContext('incoming-documents', clock));
    // Assess
    expect(result.counters).toEqual({ incomingAdded: 0, incomingSeen: 0, packages: 0 });
    expect(sim.state.exports.size).toBe(exportsBefore);
  });

  it('a run with too little time left before its deadline starts no export', async () => {
    // Prepare
    const { stores, unit } = setup({ options: { packageReserveMs: 120_000 } }, OTHER_COMPANIES.deadline);
    const exportsBefore = sim.state.exports.size;
    const context = runContext('incoming-documents', clock, { timeoutMs: 600_000 });
    clock.advance(500_000);
    // Act
    const result = await unit.run(context);
    // Assess
    expect(result.counters.packages).toBe(0);
    expect(sim.state.exports.size).toBe(exportsBefore);
    expect(await stores.syncState.get(PURCHASE_STREAM)).toBeUndefined();
  });

  it('packages are fetched one after another while KSeF says the export was truncated', async () => {
    // Prepare
    const small = await createKsefSimulator({ clock, validator, rateLimits: false, exportInvoiceCap: 4 });
    for (let i = 1; i <= 10; i++) {
      clock.advance(60_000);
      await small.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANY_NIP, invoiceNumber: `T-${i}` });
    }
    clock.advance(60_000);
    const stores = memoryStores();
    const unit = incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(small) });
    // Act
    const result = await unit.run(runContext('incoming-documents', clock)).finally(() => small.close());
    // Assess
    expect(result.counters.incomingAdded).toBe(10);
    expect(result.counters.packages).toBeGreaterThanOrEqual(3);
    expect(await allIncoming(stores.incoming)).toHaveLength(10);
  });
});
