import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDocumentRepository } from '../../../functions/adapters/aws/dynamo-document-repository.js';
import { DynamoIncomingDocumentRepository } from '../../../functions/adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoLedgerRepository } from '../../../functions/adapters/aws/dynamo-ledger-repository.js';
import { DynamoSyncStateRepository } from '../../../functions/adapters/aws/dynamo-sync-state-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../../functions/adapters/local/embedded-dynamodb.js';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';
import { incomingDocumentsCodeUnit, type IncomingDocumentsDeps } from '../../../functions/code-units/incoming-documents/incoming-documents.js';
import { LEDGER_STREAM, updateLedgersCodeUnit, type UpdateLedgersDeps } from '../../../functions/code-units/update-ledgers/update-ledgers.js';
import { attachUpo, type LedgerRow } from '../../../functions/domain/documents.js';
import { ManualClock } from '../../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import type { LedgerRepository } from '../../../functions/ports/ledger-repository.js';
import { acceptedSale, gatewayFor, memoryStores, recordedDocument, runContext, SUPPLIER_NIP } from './helpers/inbound-world.js';

const validator = new XmllintXsdValidator();
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let sim: KsefSimulator;
let dynamo: EmbeddedDynamo;

/** Each test acts for a company of its own, so that one simulator serves them all. */
const COMPANIES = {
  both: '1112223332',
  notOurs: '2223334443',
  missing: '3334445554',
  windows: '4445556665',
  pending: '5556667776',
  dynamo: '6667778887',
} as const;

beforeAll(async () => {
  sim = await createKsefSimulator({ clock, validator, rateLimits: false });
  dynamo = await startEmbeddedDynamo();
});

afterAll(async () => {
  await sim.close();
  await dynamo.close();
  await validator.close();
});

/** Counts the calls to the rate-limited metadata endpoint. */
function counting(gateway: KsefGateway): { gateway: KsefGateway; queries: () => number } {
  let queries = 0;
  const counted = Object.create(gateway) as KsefGateway;
  Object.assign(counted, {
    queryInvoiceMetadata: (...args: Parameters<KsefGateway['queryInvoiceMetadata']>) => {
      queries += 1;
      return gateway.queryInvoiceMetadata(...args);
    },
  });
  return { gateway: counted, queries: () => queries };
}

type Stores = Omit<UpdateLedgersDeps, 'ksef' | 'options'> & Pick<IncomingDocumentsDeps, 'blobs' | 'parser'>;

function setup(nip: string, stores: Stores = memoryStores()) {
  const ksef = counting(gatewayFor(sim, nip));
  const deps: UpdateLedgersDeps = { ...stores, ksef: ksef.gateway };
  return { stores, ksef, unit: updateLedgersCodeUnit(deps) };
}

async function ledgerOf(ledger: LedgerRepository): Promise<Map<string, LedgerRow>> {
  const page = await ledger.list({ limit: 100 });
  return new Map(page.items.map((row) => [row.ksefNumber, row]));
}

describe('update-ledgers against the KSeF simulator', () => {
  it('the ledger has a row for every accepted sale and every purchase invoice, and a second run writes nothing', async () => {
    // Prepare
    const { stores, unit } = setup(COMPANIES.both);
    const sales = [];
    for (let i = 1; i <= 3; i++) sales.push(await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.both, invoiceNumber: `S-${i}`, id: `sale-${i}` }));
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANIES.both, invoiceNumber: 'P-1' });
    await sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: COMPANIES.both, invoiceNumber: 'P-2' });
    clock.advance(60_000);
    await incomingDocumentsCodeUnit({ ...stores, ksef: gatewayFor(sim, COMPANIES.both) }).run(runContext('incoming-documents', clock));
    clock.advance(20 * 60_000);
    // Act
    const first = await unit.run(runContext('update-ledgers', clock));
    const second = await unit.run(runContext('update-ledgers', clock));
    // Assess
    const rows = await ledgerOf(stores.ledger);
    expect(first.counters).toMatchObject({ ledgerRows: 5, ledgerUpdated: 5, notSentByUs: 0, unknownInKsef: 0 });
    expect(second.counters).toMatchObject({ ledgerRows: 5, ledgerUpdated: 0 });
    const sale = rows.get(sales[0]!.ksefNumber!);
    expect(sale).toMatchObject({
      direction: 'Outgoing',
      invoiceNumber: 'S-1',
      invoiceType: 'VAT',
      sellerNip: COMPANIES.both,
      buyer: { type: 'Nip', value: '1111111111' },
      netAmount: '43.60',
      vatAmount: '10.03',
      grossAmount: '53.63',
      currency: 'PLN',
      status: 'Accepted',
      upoPresent: false,
      documentId: 'sale-1',
      acquisitionDate: sales[0]!.acquisitionDate,
      flags: [],
    });
    const purchases = [...rows.values()].filter((r) => r.direction === 'Incoming');
    expect(purchases.map((r) => r.invoiceNumber).sort()).toEqual(['P-1', 'P-2']);
    expect(purchases.every((r) => r.status === 'Received' && r.sellerNip === SUPPLIER_NIP && r.flags.length === 0)).toBe(true);
  });

  it('a UPO stored after the row was written shows on the ledger at the next run', async () => {
    // Prepare
    const { stores, unit } = setup(COMPANIES.both);
    const sale = await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.both, invoiceNumber: 'S-UPO', id: 'sale-upo' });
    clock.advance(20 * 60_000);
    await unit.run(runContext('update-ledgers', clock));
    await stores.documents.update(attachUpo(sale, `upo/${sale.ksefNumber}.xml`, clock.now().toISOString()), sale.version);
    // Act
    const result = await unit.run(runContext('update-ledgers', clock));
    // Assess
    expect(result.counters.ledgerUpdated).toBe(1);
    expect((await stores.ledger.get(sale.ksefNumber!))?.upoPresent).toBe(true);
  });

  it('an invoice KSeF holds for the company that this system did not send is flagged on the ledger', async () => {
    // Prepare
    const { stores, unit } = setup(COMPANIES.notOurs);
    await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.notOurs, invoiceNumber: 'OURS-1', id: 'ours-1' });
    const foreign = await sim.seedIncomingInvoice({ sellerNip: COMPANIES.notOurs, buyerNip: SUPPLIER_NIP, invoiceNumber: 'ELSEWHERE-1' });
    clock.advance(20 * 60_000);
    // Act
    const result = await unit.run(runContext('update-ledgers', clock));
    // Assess
    const row = await stores.ledger.get(foreign.ksefNumber);
    expect(result.counters).toMatchObject({ notSentByUs: 1, unknownInKsef: 0, ledgerRows: 2 });
    expect(row).toMatchObject({ direction: 'Outgoing', invoiceNumber: 'ELSEWHERE-1', documentId: null, flags: ['InKsefOnly'], grossAmount: '53.63', sellerNip: COMPANIES.notOurs });
    expect(row?.flagReason).toContain("'ELSEWHERE-1'");
    expect(row?.flagReason).toContain('did not send');
  });

  it('an invoice this system believes KSeF accepted but KSeF does not list is flagged on the ledger', async () => {
    // Prepare
    const { stores, unit } = setup(COMPANIES.missing);
    const listed = await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.missing, invoiceNumber: 'LISTED-1', id: 'listed-1' });
    const xml = new TextEncoder().encode((await sim.seedIncomingInvoice({ sellerNip: COMPANIES.missing, buyerNip: '1111111111', invoiceNumber: 'X' })).xml.toString('utf8').replace('<P_2>X</P_2>', '<P_2>GHOST-1</P_2>'));
    const ghostNumber = `${COMPANIES.missing}-20260302-0000000000AA-00`;
    await recordedDocument(stores.documents, xml, 'ghost-1', 'Accepted', { ksefNumber: ghostNumber, acquisitionDate: clock.now().toISOString() });
    clock.advance(20 * 60_000);
    // Act
    const result = await unit.run(runContext('update-ledgers', clock));
    // Assess
    const ghost = await stores.ledger.get(ghostNumber);
    expect(result.counters.unknownInKsef).toBe(1);
    expect(ghost).toMatchObject({ documentId: 'ghost-1', invoiceNumber: 'GHOST-1', flags: ['MissingInKsef'] });
    expect(ghost?.flagReason).toContain('does not list it');
    expect((await stores.ledger.get(listed.ksefNumber!))?.flags).toEqual([]);
  });

  it('an invoice sent by this system whose KSeF number is not recorded yet is not flagged', async () => {
    // Prepare
    const { stores, unit } = setup(COMPANIES.pending);
    const stored = await sim.seedIncomingInvoice({ sellerNip: COMPANIES.pending, buyerNip: '1111111111', invoiceNumber: 'IN-FLIGHT-1' });
    await recordedDocument(stores.documents, stored.xml, 'in-flight-1', 'Sent');
    clock.advance(20 * 60_000);
    // Act
    const result = await unit.run(runContext('update-ledgers', clock));
    // Assess
    expect(result.counters).toMatchObject({ notSentByUs: 0, unknownInKsef: 0, ledgerRows: 0 });
    expect(await stores.ledger.get(stored.ksefNumber)).toBeUndefined();
  });

  it("KSeF's metadata is read in windows from a persisted mark: a run right after the last one asks nothing, a later one only the new window", async () => {
    // Prepare
    const { stores, unit, ksef } = setup(COMPANIES.windows);
    await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.windows, invoiceNumber: 'W-1', id: 'w-1' });
    clock.advance(20 * 60_000);
    const firstRunAt = clock.now().getTime();
    await unit.run(runContext('update-ledgers', clock));
    const afterFirst = { queries: ksef.queries(), mark: (await stores.syncState.get(LEDGER_STREAM))?.mark };
    // Act
    await unit.run(runContext('update-ledgers', clock));
    const afterSecond = ksef.queries();
    clock.advance(24 * 3_600_000);
    const foreign = await sim.seedIncomingInvoice({ sellerNip: COMPANIES.windows, buyerNip: SUPPLIER_NIP, invoiceNumber: 'W-LATER' });
    clock.advance(20 * 60_000);
    const third = await unit.run(runContext('update-ledgers', clock));
    // Assess
    expect(afterFirst.queries).toBe(1);
    expect(afterFirst.mark).toBe(new Date(firstRunAt - 15 * 60_000).toISOString());
    expect(afterSecond).toBe(1);
    expect(ksef.queries()).toBe(2);
    expect(third.counters).toMatchObject({ ksefWindows: 1, notSentByUs: 1 });
    expect((await stores.ledger.get(foreign.ksefNumber))?.flags).toEqual(['InKsefOnly']);
    expect(Date.parse((await stores.syncState.get(LEDGER_STREAM))!.mark)).toBe(clock.now().getTime() - 15 * 60_000);
  });

  it('on the embedded DynamoDB a second run writes nothing either', async () => {
    // Prepare
    const tableName = 'update-ledgers';
    await ensureTable(dynamo.createClient(), tableName);
    const client = dynamo.createDocumentClient();
    const stores = {
      ...memoryStores(),
      documents: new DynamoDocumentRepository(client, tableName),
      incoming: new DynamoIncomingDocumentRepository(client, tableName),
      ledger: new DynamoLedgerRepository(client, tableName),
      syncState: new DynamoSyncStateRepository(client, tableName),
    };
    const { unit } = setup(COMPANIES.dynamo, stores);
    await acceptedSale(sim, stores.documents, { sellerNip: COMPANIES.dynamo, invoiceNumber: 'D-1', id: 'd-1' });
    await sim.seedIncomingInvoice({ sellerNip: COMPANIES.dynamo, buyerNip: SUPPLIER_NIP, invoiceNumber: 'D-FOREIGN' });
    clock.advance(20 * 60_000);
    const first = await unit.run(runContext('update-ledgers', clock));
    clock.advance(20 * 60_000);
    // Act
    const second = await unit.run(runContext('update-ledgers', clock));
    // Assess
    expect(first.counters).toMatchObject({ ledgerRows: 2, ledgerUpdated: 2, notSentByUs: 1 });
    expect(second.counters).toMatchObject({ ledgerRows: 2, ledgerUpdated: 0 });
  });
});
