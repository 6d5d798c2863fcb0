import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { makeFakeKey, startFakeKsef, type FakeKey, type FakeKsef } from './helpers/fake-ksef.js';

const NIP = '5265877635';
const TOKEN = `20261125-EC-1234567890-ABCDEF0123-45|nip-${NIP}|${'cd'.repeat(32)}`;
const SELLER = '7010002137';
const xml = (n: number) => `<?xml version="1.0" encoding="UTF-8"?><Faktura><P_2>ZAK/${n}</P_2></Faktura>`;
const stamp = (n: number) => new Date(Date.UTC(2026, 10, 1, 8, 0, n)).toISOString();

let key: FakeKey;
let ksef: FakeKsef;

beforeAll(async () => {
  key = await makeFakeKey();
});

afterAll(async () => {
  await ksef?.close();
});

async function setup() {
  await ksef?.close();
  ksef = await startFakeKsef({ nip: NIP, ksefToken: TOKEN, keys: [key] });
  let now = Date.now();
  const timer: Timer = { now: () => now, sleep: async (ms) => void (now += ms) };
  const gateway = new HttpKsefGateway({ environment: { name: 'LOCAL', baseUrl: ksef.url }, nip: NIP, credentials: { kind: 'token', token: TOKEN }, timer, onWarning: () => undefined });
  return gateway;
}

function seed(count: number) {
  for (let n = 1; n <= count; n++) {
    ksef.extra.seeded.push({ ksefNumber: `${SELLER}-20261101-${String(n).padStart(12, '0')}-00`, permanentStorageDate: stamp(n), xml: xml(n) });
  }
}

describe('KSeF client batch and incoming flows against a KSeF stand-in', () => {
  for (const compression of ['Zip', 'TarGz'] as const) {
    it(`a ${compression} batch is uploaded in parts without the access token, closed, and holds every invoice`, async () => {
      // Prepare
      const gateway = await setup();
      const invoices = Array.from({ length: 12 }, (_, i) => ({ fileName: `FV-${i + 1}.xml`, xml: `<Faktura><P_2>FV/${i + 1}</P_2>${'y'.repeat(100)}</Faktura>` }));
      // Act
      const sent = await new HttpKsefGateway({ environment: { name: 'LOCAL', baseUrl: ksef.url }, nip: NIP, credentials: { kind: 'token', token: TOKEN }, batch: { maxPartBytes: 100 }, onWarning: () => undefined }).sendBatch(invoices, { compression });
      // Assess
      const batch = ksef.extra.batches.get(sent.sessionReferenceNumber);
      expect(sent.partCount).toBeGreaterThan(1);
      expect(batch?.closed).toBe(true);
      expect(batch?.invoices.sort()).toEqual(invoices.map((i) => i.xml).sort());
      expect(sent.invoiceHashes['FV-1.xml']).toBe(gateway.invoiceHash(invoices[0]?.xml ?? ''));
      const uploads = ksef.requests.filter((r) => r.method === 'PUT');
      expect(uploads).toHaveLength(sent.partCount);
      expect(uploads.every((r) => r.headers.authorization === undefined && r.headers['x-ms-blob-type'] === 'BlockBlob')).toBe(true);
    });
  }

  it('a metadata query follows pages and, past the truncation limit, narrows the date range until all are read', async () => {
    // Prepare
    const gateway = await setup();
    seed(23);
    ksef.extra.truncateAt = 10;
    // Act
    const found = await gateway.queryInvoiceMetadata({ subjectType: 'Subject2', dateType: 'PermanentStorage', from: stamp(0) });
    // Assess
    expect(found.map((i) => i.invoiceNumber)).toEqual(Array.from({ length: 23 }, (_, i) => `ZAK/${i + 1}`));
    // Three windows of at most 10 (1–10, 10–19, 19–23), each one page of up to 250.
    expect(ksef.requests.filter((r) => r.path === '/invoices/query/metadata')).toHaveLength(3);
  });

  it('a metadata query stops at maxRecords', async () => {
    const gateway = await setup();
    seed(23);
    const found = await gateway.queryInvoiceMetadata({ subjectType: 'Subject2', dateType: 'PermanentStorage', from: stamp(0), maxRecords: 5 });
    expect(found).toHaveLength(5);
  });

  it('one invoice is downloaded by its KSeF number with its hash checked', async () => {
    const gateway = await setup();
    seed(2);
    const doc = await gateway.downloadInvoice(`${SELLER}-20261101-000000000002-00`);
    expect(doc.xml).toBe(xml(2));
    expect(doc.hash).toBe(gateway.invoiceHash(xml(2)));
  });

  it('an export from the high-water mark is decrypted, joined and unpacked, and the next one starts where it ended', async () => {
    // Prepare
    const gateway = await setup();
    seed(15);
    ksef.extra.truncateAt = 10;
    ksef.extra.hwm = stamp(12);
    // Act
    const first = await gateway.syncInvoices({ subjectType: 'Subject2', from: stamp(0) });
    const second = await gateway.syncInvoices({ subjectType: 'Subject2', from: first.nextFrom });
    // Assess
    expect(first.isTruncated).toBe(true);
    expect(first.invoices.map((i) => i.metadata.invoiceNumber)).toEqual(Array.from({ length: 10 }, (_, i) => `ZAK/${i + 1}`));
    expect(first.invoices[0]?.xml).toBe(xml(1));
    expect(first.nextFrom).toBe(stamp(10));
    expect(second.isTruncated).toBe(false);
    expect(second.nextFrom).toBe(stamp(12));
    // The boundary invoice comes again (windows touch), so callers de-duplicate by KSeF number.
    expect(second.invoices.map((i) => i.metadata.invoiceNumber)).toEqual(['ZAK/10', 'ZAK/11', 'ZAK/12']);
  });
});
