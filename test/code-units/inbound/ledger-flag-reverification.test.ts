import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KsefRateBudgetExhaustedError } from '../../../functions/ports/ksef-errors.js';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';
import { updateLedgersCodeUnit, type UpdateLedgersOptions } from '../../../functions/code-units/update-ledgers/update-ledgers.js';
import { ManualClock } from '../../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { CUSTOMER_NIP, gatewayFor, memoryStores, recordedDocument, runContext } from './helpers/inbound-world.js';

/*
 * update-ledgers judges each window of KSeF's metadata once. A sale that KSeF stores for good later
 * than that (its metadata lists it only then) is flagged MissingInKsef; later runs ask KSeF for that
 * one invoice again and clear the flag once KSeF knows it, a bounded number of invoices per run.
 */

const validator = new XmllintXsdValidator();
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;
let sim: KsefSimulator;

/** Each test acts for a company of its own, so that one simulator serves them all. */
const COMPANIES = { late: '7012345671', ghost: '7123456787', many: '7234567892', busy: '7345678904', other: '7456789015' } as const;

beforeAll(async () => {
  sim = await createKsefSimulator({ clock, validator, rateLimits: false, accessTokenTtlMs: 86_400_000 });
});

afterAll(async () => {
  await sim.close();
  await validator.close();
});

/** Records the KSeF numbers each single-invoice download asked for. */
function counting(gateway: KsefGateway): { gateway: KsefGateway; downloads: string[] } {
  const downloads: string[] = [];
  const counted = Object.create(gateway) as KsefGateway;
  Object.assign(counted, {
    downloadInvoice: (ksefNumber: string, signal?: AbortSignal) => {
      downloads.push(ksefNumber);
      return gateway.downloadInvoice(ksefNumber, signal);
    },
  });
  return { gateway: counted, downloads };
}

function setup(nip: string, options?: UpdateLedgersOptions) {
  const stores = memoryStores();
  const ksef = counting(gatewayFor(sim, nip));
  return { stores, ksef, unit: updateLedgersCodeUnit({ ...stores, ksef: ksef.gateway, ...(options ? { options } : {}) }) };
}

/** An Accepted sale under a KSeF number that KSeF never gave. */
async function ghostSale(stores: ReturnType<typeof memoryStores>, nip: string, n: number): Promise<string> {
  const xml = new TextEncoder().encode(makeInvoiceXml({ sellerNip: nip, number: `GHOST/${n}`, buyerNip: CUSTOMER_NIP }));
  const ksefNumber = `${nip}-20260302-0000000000${String(n).padStart(2, '0')}-00`;
  await recordedDocument(stores.documents, xml, `ghost-${nip}-${n}`, 'Accepted', { ksefNumber, acquisitionDate: clock.now().toISOString() });
  return ksefNumber;
}

describe('update-ledgers heals MissingInKsef flags when KSeF was merely late', () => {
  it('an accepted sale stored by KSeF two hours late is flagged after the first reconciliation and the flag is cleared by a later run', async () => {
    // Prepare: KSeF numbers the sale now and stores it (lists it in metadata) two hours later.
    const { stores, unit } = setup(COMPANIES.late);
    clock.advance(MINUTE);
    const sale = await sim.seedIncomingInvoice({ sellerNip: COMPANIES.late, buyerNip: CUSTOMER_NIP, invoiceNumber: 'SALE/2H/1', permanentStorageDate: new Date(clock.now().getTime() + 120 * MINUTE) });
    await recordedDocument(stores.documents, sale.xml, 'sale-2h-1', 'Accepted', { ksefNumber: sale.ksefNumber, acquisitionDate: sale.acquisitionDate.toISOString() });
    clock.advance(40 * MINUTE);

    // Act
    const first = await unit.run(runContext('update-ledgers', clock));
    const rowAfterFirst = await stores.ledger.get(sale.ksefNumber);
    clock.advance(30 * MINUTE);
    const soonAfter = await unit.run(runContext('update-ledgers', clock));
    const rowSoonAfter = await stores.ledger.get(sale.ksefNumber);
    clock.advance(60 * MINUTE);
    const later = await unit.run(runContext('update-ledgers', clock));
    clock.advance(60 * MINUTE);
    const afterThat = await unit.run(runContext('update-ledgers', clock));

    // Assess
    expect(first.counters).toMatchObject({ unknownInKsef: 1, reverified: 0 });
    expect(rowAfterFirst?.flags).toEqual(['MissingInKsef']);
    expect(soonAfter.counters).toMatchObject({ reverified: 0, flagsCleared: 0 });
    expect(rowSoonAfter?.flags).toEqual(['MissingInKsef']);
    expect(later.counters).toMatchObject({ reverified: 1, flagsCleared: 1, unknownInKsef: 0 });
    const healed = await stores.ledger.get(sale.ksefNumber);
    expect(healed?.flags).toEqual([]);
    expect(healed?.flagReason).toBeUndefined();
    expect(afterThat.counters).toMatchObject({ reverified: 0, flagsCleared: 0 });
  });

  it('an accepted sale whose KSeF number KSeF never gave stays flagged, with the answer of the last check in its reason', async () => {
    // Prepare
    const { stores, unit, ksef } = setup(COMPANIES.ghost);
    const ghost = await ghostSale(stores, COMPANIES.ghost, 1);
    clock.advance(40 * MINUTE);
    await unit.run(runContext('update-ledgers', clock));
    clock.advance(61 * MINUTE);

    // Act
    const second = await unit.run(runContext('update-ledgers', clock));
    clock.advance(61 * MINUTE);
    const third = await unit.run(runContext('update-ledgers', clock));

    // Assess
    expect(second.counters).toMatchObject({ reverified: 1, flagsCleared: 0 });
    expect(third.counters).toMatchObject({ reverified: 1, flagsCleared: 0 });
    expect(ksef.downloads).toEqual([ghost, ghost]);
    const row = await stores.ledger.get(ghost);
    expect(row?.flags).toEqual(['MissingInKsef']);
    expect(row?.flagReason).toContain('does not list it');
    expect(row?.flagReason).toContain(`Asked again on ${clock.now().toISOString()}: KSeF does not know it (21164).`);
    expect(row?.flagReason?.match(/Asked again/g)).toHaveLength(1);
  });

  it('each run asks KSeF about at most the configured number of flagged invoices, the least recently checked first', async () => {
    // Prepare: five sales KSeF does not know, two checks a run.
    const { stores, unit, ksef } = setup(COMPANIES.many, { reverifyPerRun: 2 });
    const ghosts: string[] = [];
    for (let n = 1; n <= 5; n++) ghosts.push(await ghostSale(stores, COMPANIES.many, n));
    clock.advance(40 * MINUTE);
    const flagging = await unit.run(runContext('update-ledgers', clock));

    // Act
    const asked: string[][] = [];
    for (let run = 0; run < 3; run++) {
      clock.advance(61 * MINUTE);
      const before = ksef.downloads.length;
      await unit.run(runContext('update-ledgers', clock));
      asked.push(ksef.downloads.slice(before));
    }

    // Assess
    expect(flagging.counters.unknownInKsef).toBe(5);
    expect(asked.map((numbers) => numbers.length)).toEqual([2, 2, 2]);
    expect(asked[0]).toEqual(ghosts.slice(0, 2));
    expect(asked[1]).toEqual(ghosts.slice(2, 4));
    expect(asked[2]).toEqual([ghosts[4], ghosts[0]]);
    for (const ghost of ghosts) expect((await stores.ledger.get(ghost))?.flags).toEqual(['MissingInKsef']);
  });

  it('a sale KSeF stores late under its number but with other content loses MissingInKsef and is flagged HashMismatch', async () => {
    // Prepare: our document of that KSeF number has other bytes than KSeF's invoice.
    const { stores, unit } = setup(COMPANIES.other);
    clock.advance(MINUTE);
    const sale = await sim.seedIncomingInvoice({ sellerNip: COMPANIES.other, buyerNip: CUSTOMER_NIP, invoiceNumber: 'SALE/OTHER/1', permanentStorageDate: new Date(clock.now().getTime() + 120 * MINUTE) });
    const ours = new TextEncoder().encode(makeInvoiceXml({ sellerNip: COMPANIES.other, number: 'SALE/OTHER/1', buyerNip: CUSTOMER_NIP, amounts: { net: '1.00', vat: '0.23', gross: '1.23' } }));
    await recordedDocument(stores.documents, ours, 'sale-other-1', 'Accepted', { ksefNumber: sale.ksefNumber, acquisitionDate: sale.acquisitionDate.toISOString() });
    clock.advance(40 * MINUTE);
    await unit.run(runContext('update-ledgers', clock));
    clock.advance(61 * MINUTE);

    // Act
    const later = await unit.run(runContext('update-ledgers', clock));

    // Assess
    expect(later.counters).toMatchObject({ reverified: 1, flagsCleared: 1 });
    const row = await stores.ledger.get(sale.ksefNumber);
    expect(row?.flags).toEqual(['HashMismatch']);
    expect(row?.flagReason).toContain('sale-other-1');
  });

  it('a run that finds KSeF busy leaves the flags for a later run and still succeeds', async () => {
    // Prepare: the download budget is spent (the client refuses to wait), after a first run flagged a ghost.
    const { stores, unit } = setup(COMPANIES.busy);
    const ghost = await ghostSale(stores, COMPANIES.busy, 1);
    clock.advance(40 * MINUTE);
    await unit.run(runContext('update-ledgers', clock));
    clock.advance(61 * MINUTE);
    const gateway = gatewayFor(sim, COMPANIES.busy);
    const busy = Object.assign(Object.create(gateway) as KsefGateway, {
      downloadInvoice: () => Promise.reject(new KsefRateBudgetExhaustedError('invoiceDownload', 30_000)),
    });
    const busyUnit = updateLedgersCodeUnit({ ...stores, ksef: busy });

    // Act
    const result = await busyUnit.run(runContext('update-ledgers', clock));

    // Assess
    expect(result.counters).toMatchObject({ reverified: 1, flagsCleared: 0, reverifyPostponed: 1 });
    expect((await stores.ledger.get(ghost))?.flags).toEqual(['MissingInKsef']);
    expect((await stores.ledger.get(ghost))?.flagReason).not.toContain('Asked again');
  });
});
