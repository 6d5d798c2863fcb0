import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { openApiErrors } from './helpers/openapi-validator.js';
import { call, loginWithToken, publicKey, rsaOaep } from './helpers/sim-client.js';

/*
 * KSeF stores an invoice for good some time after it gives the KSeF number; the high-water mark
 * says up to when the data set is complete. One simulator per test: the mark is system-wide.
 */

const BUYER = '7010001454';
const SELLER = '5265877635';
const FROM = '2026-03-01T00:00:00.000Z';

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

describe('KSeF simulator: permanent storage and the high-water mark', () => {
  let clock: ManualClock;
  let sim: KsefSimulator;
  let token: string;

  beforeAll(async () => {
    clock = new ManualClock('2026-03-02T09:00:00.000Z');
    sim = await createKsefSimulator({ clock, validator, rateLimits: false, accessTokenTtlMs: 86_400_000, delays: { permanentStorageMs: 10 * 60_000 } });
    token = (await loginWithToken(sim.url, BUYER, sim.registerKsefToken({ nip: BUYER }))).accessToken;
  });
  afterAll(() => sim.close());

  const query = (dateType: 'PermanentStorage' | 'Invoicing', restrict = true) =>
    call(`${sim.url}/invoices/query/metadata?pageSize=10&pageOffset=0&sortOrder=Asc`, {
      token,
      json: { subjectType: 'Subject2', dateRange: { dateType, from: FROM, restrictToPermanentStorageHwmDate: restrict } },
    });

  const exportFrom = async (from: string) => {
    const pub = await publicKey(sim.url, 'SymmetricKeyEncryption');
    const start = await call(`${sim.url}/invoices/exports`, {
      token,
      json: {
        encryption: { encryptedSymmetricKey: rsaOaep(pub.pem, randomBytes(32)).toString('base64'), initializationVector: randomBytes(16).toString('base64'), publicKeyId: pub.publicKeyId },
        filters: { subjectType: 'Subject2', dateRange: { dateType: 'PermanentStorage', from, restrictToPermanentStorageHwmDate: true } },
      },
    });
    return call(`${sim.url}/invoices/exports/${start.body.referenceNumber}`, { token });
  };

  it('an invoice is in no query until it is permanently stored, and until then the high-water mark stays just before it', async () => {
    // Prepare
    await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/STORED/1' });
    clock.advance(15 * 60_000);
    const pending = await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/LATE/1' });
    clock.advance(5 * 60_000);
    // Act
    const before = await query('PermanentStorage');
    const beforeByInvoicing = await query('Invoicing');
    clock.advance(5 * 60_000);
    const after = await query('PermanentStorage');
    // Assess
    expect(openApiErrors('QueryInvoicesMetadataResponse', before.body)).toEqual([]);
    expect(before.body.invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['FA/STORED/1']);
    expect(before.body.permanentStorageHwmDate).toBe(new Date(pending.acquisitionDate.getTime() - 1).toISOString());
    expect(beforeByInvoicing.body.invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['FA/STORED/1']);
    expect(beforeByInvoicing.body.permanentStorageHwmDate).toBeNull();
    expect(after.body.invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['FA/STORED/1', 'FA/LATE/1']);
    expect(after.body.invoices[1].permanentStorageDate).toBe(new Date(pending.acquisitionDate.getTime() + 10 * 60_000).toISOString());
    expect(after.body.permanentStorageHwmDate).toBe(clock.now().toISOString());
  });

  it('an export restricted to the high-water mark leaves out what is not stored yet, and one that starts after the mark ends in 420', async () => {
    // Prepare
    clock.advance(60_000);
    const pending = await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/LATE/2' });
    clock.advance(60_000);
    // Act
    const status = await exportFrom(FROM);
    const beyond = await exportFrom(clock.now().toISOString());
    // Assess
    expect(openApiErrors('InvoiceExportStatusResponse', status.body)).toEqual([]);
    expect(status.body.package.invoiceCount).toBe(2);
    expect(status.body.package.permanentStorageHwmDate).toBe(new Date(pending.acquisitionDate.getTime() - 1).toISOString());
    expect(beyond.body.status.code).toBe(420);
  });

  it('a seeded invoice may name its own permanent storage date, never before its acquisition', async () => {
    // Prepare
    const acquired = clock.now();
    const storedAt = new Date(acquired.getTime() + 3_600_000);
    // Act
    const late = await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/LATE/3', permanentStorageDate: storedAt });
    const refused = sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/LATE/4', permanentStorageDate: new Date(acquired.getTime() - 1) });
    // Assess
    expect(late.permanentStorageDate).toEqual(storedAt);
    await expect(refused).rejects.toThrow('permanentStorageDate');
  });
});

describe('KSeF simulator: the storage delay can be changed while it runs', () => {
  it('PUT /_sim/delays sets the storage delay of invoices from then on, and refuses unknown or negative delays', async () => {
    // Prepare
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const sim = await createKsefSimulator({ clock, validator, rateLimits: false });
    try {
      // Act
      const defaults = await call(`${sim.origin}/_sim/delays`);
      const set = await call(`${sim.origin}/_sim/delays`, { method: 'PUT', json: { permanentStorageMs: 120_000 } });
      const stored = await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: 'FA/DELAY/1' });
      const unknown = await call(`${sim.origin}/_sim/delays`, { method: 'PUT', json: { storageMs: 1 } });
      const negative = await call(`${sim.origin}/_sim/delays`, { method: 'PUT', json: { permanentStorageMs: -1 } });
      // Assess
      expect(defaults.body.permanentStorageMs).toBe(3_000);
      expect(set.body.permanentStorageMs).toBe(120_000);
      expect(stored.permanentStorageDate.getTime() - stored.acquisitionDate.getTime()).toBe(120_000);
      expect(unknown.status).toBe(400);
      expect(negative.status).toBe(400);
      expect((await call(`${sim.origin}/_sim/delays`)).body.permanentStorageMs).toBe(120_000);
    } finally {
      await sim.close();
    }
  });
});
