import { createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { openApiErrors } from './helpers/openapi-validator.js';
import { aes, call, loginWithToken, publicKey, rsaOaep, sha256b64 } from './helpers/sim-client.js';

const BUYER = '7010001454';
const SELLER = '5265877635';
const template = readFileSync(new URL('../fixtures/ksef/invoice-template-fa-3.xml', import.meta.url), 'utf8');

describe('KSeF simulator: purchase invoices, exports, batch sessions and rate limits', () => {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;
  let buyerToken: string;
  let sellerToken: string;

  beforeAll(async () => {
    sim = await createKsefSimulator({ clock, validator, rateLimits: { invoiceMetadata: { perSecond: 100, perMinute: 100, perHour: 100 } } });
    buyerToken = (await loginWithToken(sim.url, BUYER, sim.registerKsefToken({ nip: BUYER }))).accessToken;
    sellerToken = (await loginWithToken(sim.url, SELLER, sim.registerKsefToken({ nip: SELLER }))).accessToken;
    for (let i = 1; i <= 12; i++) {
      clock.advance(60_000);
      await sim.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: BUYER, invoiceNumber: `FA/IN/${i}` });
    }
    // Past the permanent storage of the last one: every invoice is in queries and exports.
    clock.advance(60_000);
  });
  afterAll(async () => {
    await sim.close();
    await validator.close();
  });

  const query = (pageOffset: number) =>
    call(`${sim.url}/invoices/query/metadata?pageSize=10&pageOffset=${pageOffset}&sortOrder=Asc`, {
      token: buyerToken,
      json: { subjectType: 'Subject2', dateRange: { dateType: 'PermanentStorage', from: '2026-03-01T00:00:00Z' } },
    });

  it('seeded purchase invoices are found as Subject2 with paging, in the official shape, and download with their hash', async () => {
    // Act
    const first = await query(0);
    const second = await query(1);
    const xml = await call(`${sim.url}/invoices/ksef/${first.body.invoices[0].ksefNumber}`, { token: buyerToken });
    // Assess
    expect(first.body.hasMore).toBe(true);
    expect(second.body.hasMore).toBe(false);
    expect(first.body.invoices).toHaveLength(10);
    expect(second.body.invoices).toHaveLength(2);
    expect(openApiErrors('QueryInvoicesMetadataResponse', first.body)).toEqual([]);
    expect(xml.headers.get('x-ms-meta-hash')).toBe(first.body.invoices[0].invoiceHash);
    expect(xml.text).toContain('FA/IN/1<');
  });

  it('an export package decrypts, unzips to the invoices plus _metadata.json, and carries a high-water mark', async () => {
    // Prepare
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const pub = await publicKey(sim.url, 'SymmetricKeyEncryption');
    // Act
    const start = await call(`${sim.url}/invoices/exports`, {
      token: buyerToken,
      json: {
        encryption: { encryptedSymmetricKey: rsaOaep(pub.pem, key).toString('base64'), initializationVector: iv.toString('base64'), publicKeyId: pub.publicKeyId },
        filters: { subjectType: 'Subject2', dateRange: { dateType: 'PermanentStorage', from: '2026-03-01T00:00:00Z', restrictToPermanentStorageHwmDate: true } },
      },
    });
    const status = await call(`${sim.url}/invoices/exports/${start.body.referenceNumber}`, { token: buyerToken });
    const parts = await Promise.all(status.body.package.parts.map((p: { url: string }) => fetch(p.url).then(async (r) => Buffer.from(await r.arrayBuffer()))));
    const plain = Buffer.concat(parts.map((p) => {
      const d = createDecipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([d.update(p), d.final()]);
    }));
    const files = unzipSync(plain);
    // Assess
    expect(start.status).toBe(201);
    expect(openApiErrors('InvoiceExportStatusResponse', status.body)).toEqual([]);
    expect(status.body.package.invoiceCount).toBe(12);
    expect(status.body.package.permanentStorageHwmDate).toBe(clock.now().toISOString());
    expect(Object.keys(files).filter((f) => f.endsWith('.xml'))).toHaveLength(12);
    expect(JSON.parse(Buffer.from(files['_metadata.json']!).toString()).invoices).toHaveLength(12);
  });

  it('a batch package of two invoices in two encrypted parts is processed into KSeF numbers', async () => {
    // Prepare
    const invoice = (n: string) => template.replace('#nip#', SELLER).replace('#invoice_number#', n).replace(/<P_1>[^<]*<\/P_1>/, '<P_1>2026-03-02</P_1>');
    const zip = Buffer.from(zipSync({ 'a.xml': strToU8(invoice('B1')), 'b.xml': strToU8(invoice('B2')) }));
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const half = Math.ceil(zip.length / 2);
    const parts = [zip.subarray(0, half), zip.subarray(half)].map((p) => aes(key, iv, p));
    const pub = await publicKey(sim.url, 'SymmetricKeyEncryption');
    // Act
    const open = await call(`${sim.url}/sessions/batch`, {
      token: sellerToken,
      json: {
        formCode: { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' },
        batchFile: { fileSize: zip.length, fileHash: sha256b64(zip), fileParts: parts.map((p, i) => ({ ordinalNumber: i + 1, fileSize: p.length, fileHash: sha256b64(p) })) },
        encryption: { encryptedSymmetricKey: rsaOaep(pub.pem, key).toString('base64'), initializationVector: iv.toString('base64') },
      },
    });
    const uploads = await Promise.all(open.body.partUploadRequests.map((u: { url: string; ordinalNumber: number; headers: Record<string, string> }) => fetch(u.url, { method: 'PUT', headers: u.headers, body: parts[u.ordinalNumber - 1] as unknown as BodyInit })));
    const close = await call(`${sim.url}/sessions/batch/${open.body.referenceNumber}/close`, { method: 'POST', token: sellerToken });
    await sim.settle();
    const status = await call(`${sim.url}/sessions/${open.body.referenceNumber}`, { token: sellerToken });
    const list = await call(`${sim.url}/sessions/${open.body.referenceNumber}/invoices`, { token: sellerToken });
    // Assess
    expect(open.status).toBe(201);
    expect(openApiErrors('OpenBatchSessionResponse', open.body)).toEqual([]);
    expect(uploads.map((u) => u.status)).toEqual([201, 201]);
    expect(close.status).toBe(204);
    expect(status.body.status.code).toBe(200);
    expect(list.body.invoices.map((i: { invoiceFileName: string; status: { code: number } }) => [i.invoiceFileName, i.status.code])).toEqual([['a.xml', 200], ['b.xml', 200]]);
  });

  it('a group over its limit answers 429 with Retry-After, and a 429 storm can be injected', async () => {
    // Prepare
    sim.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 7, match: '^GET /rate-limits$' } });
    clock.advance(2 * 3_600_000); // earlier tests' calls leave every window; the old access token expires
    buyerToken = (await loginWithToken(sim.url, BUYER, sim.registerKsefToken({ nip: BUYER }))).accessToken;
    // Act
    const storm = await call(`${sim.url}/rate-limits`, { token: buyerToken, headers: { 'x-error-format': 'problem-details' } });
    const limits = await call(`${sim.url}/rate-limits`, { token: buyerToken });
    const burst = [];
    for (let i = 0; i < 9; i++) burst.push(await call(`${sim.url}/invoices/ksef/${SELLER}-20260302-000000000000-00`, { token: buyerToken }));
    // Assess
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('7');
    expect(openApiErrors('TooManyRequestsProblemDetails', storm.body).map((e) => e.message)).toEqual([]);
    expect(openApiErrors('EffectiveApiRateLimits', limits.body)).toEqual([]);
    expect(limits.body.invoiceDownload).toEqual({ perSecond: 8, perMinute: 16, perHour: 64 });
    expect(burst.slice(0, 8).every((r) => r.status === 400)).toBe(true);
    expect(burst[8]!.status).toBe(429);
    expect(Number(burst[8]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
