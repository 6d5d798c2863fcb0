import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import type { KsefCredentials } from '../../functions/adapters/ksef/client/auth/credentials.js';
import { KsefConfigurationError, KsefApiError } from '../../functions/adapters/ksef/client/http/errors.js';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import type { KsefWarning } from '../../functions/adapters/ksef/client/http/transport.js';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { makeFakeKey, startFakeKsef, type FakeKey, type FakeKsef } from './helpers/fake-ksef.js';

const NIP = '5265877635';
const TOKEN = `20261125-EC-1234567890-ABCDEF0123-45|nip-${NIP}|${'ab'.repeat(32)}`;
const invoiceXml = (n: number) => `<?xml version="1.0" encoding="UTF-8"?><Faktura><P_2>FV/${n}</P_2></Faktura>`;

/** Virtual time: sleeping moves the clock instead of waiting. */
function virtualTimer(): Timer & { slept: number[] } {
  let now = Date.now();
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

let keyA: FakeKey;
let keyB: FakeKey;
let ksef: FakeKsef;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([makeFakeKey(), makeFakeKey()]);
});

afterAll(async () => {
  await ksef?.close();
});

async function setup(credentials: KsefCredentials = { kind: 'token', token: TOKEN }) {
  await ksef?.close();
  ksef = await startFakeKsef({ nip: NIP, ksefToken: TOKEN, keys: [keyA] });
  const timer = virtualTimer();
  const warnings: KsefWarning[] = [];
  const gateway = new HttpKsefGateway({ environment: { name: 'LOCAL', baseUrl: ksef.url }, nip: NIP, credentials, timer, onWarning: (w) => warnings.push(w), sendOnce: { reconcileDelayMs: 500 } });
  return { gateway, timer, warnings };
}

describe('KSeF client flows against a KSeF stand-in', () => {
  it('a KSeF token login goes challenge, encrypted token, status, one-time redeem', async () => {
    const { gateway } = await setup();
    await gateway.authenticate();
    const calls = ksef.requests.map((r) => `${r.method} ${r.path.replace(/\d{8}-AU-[^/]+/, '{ref}')}`);
    expect(calls.slice(0, 5)).toEqual(['GET /security/public-key-certificates', 'POST /auth/challenge', 'POST /auth/ksef-token', 'GET /auth/{ref}', 'POST /auth/token/redeem']);
    expect(ksef.requests.every((r) => r.headers['x-error-format'] === 'problem-details')).toBe(true);
  });

  it('a wrong KSeF token is refused with the KSeF code', async () => {
    const { gateway } = await setup({ kind: 'token', token: 'not-the-token' });
    await expect(gateway.authenticate()).rejects.toSatisfy((e) => e instanceof KsefApiError && e.hasCode(21111));
  });

  for (const keyType of ['RSA', 'EC'] as const) {
    it(`a XAdES login with a self-signed ${keyType} certificate is accepted`, async () => {
      const cert = await createTestCertificate({ nip: NIP, keyType });
      const { gateway } = await setup({ kind: 'certificate', ...cert });
      await gateway.authenticate();
      expect(ksef.requests.some((r) => r.path === '/auth/xades-signature' && r.headers['content-type'] === 'application/xml')).toBe(true);
      expect(ksef.requests.some((r) => r.path === '/auth/token/redeem')).toBe(true);
    });
  }

  it('an invoice sent in an online session gets its KSeF number, UPO and a closed session', async () => {
    // Prepare
    const { gateway } = await setup();
    const session = await gateway.openOnlineSession();
    // Act
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: invoiceXml(1) });
    const status = await gateway.getInvoiceStatus(session.referenceNumber, sent.invoiceReferenceNumber);
    const upo = await gateway.downloadInvoiceUpo(session.referenceNumber, sent.invoiceReferenceNumber);
    await gateway.closeOnlineSession(session.referenceNumber);
    // Assess
    expect(sent).toMatchObject({ reconciled: false, invoiceHash: gateway.invoiceHash(invoiceXml(1)) });
    expect(status.status.code).toBe(200);
    expect(status.ksefNumber).toMatch(new RegExp(`^${NIP}-`));
    expect(upo.xml).toContain(status.ksefNumber ?? 'missing');
    expect((await gateway.getSessionState(session.referenceNumber)).status.code).toBe(200);
    expect(ksef.sessions.get(session.referenceNumber)?.invoices[0]?.xml).toBe(invoiceXml(1));
  });

  it('a response lost after the send is reconciled by hash and the invoice is not sent twice', async () => {
    // Prepare
    const { gateway } = await setup();
    const session = await gateway.openOnlineSession();
    await gateway.sendInvoice(session.referenceNumber, { xml: invoiceXml(1) });
    ksef.faults.loseSendResponses = 1;
    // Act
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: invoiceXml(2) });
    // Assess
    const stored = ksef.sessions.get(session.referenceNumber)?.invoices ?? [];
    expect(sent.reconciled).toBe(true);
    expect(stored.map((i) => i.xml)).toEqual([invoiceXml(1), invoiceXml(2)]);
    expect(sent.invoiceReferenceNumber).toBe(stored[1]?.referenceNumber);
    expect(ksef.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices'))).toHaveLength(2);
  });

  it('a send answered 429 waits Retry-After and then goes through once', async () => {
    const { gateway, timer } = await setup();
    const session = await gateway.openOnlineSession();
    ksef.faults.rateLimit = { suffix: '/invoices', count: 1, retryAfter: 7 };
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: invoiceXml(3) });
    expect(sent.reconciled).toBe(false);
    expect(timer.slept.some((ms) => ms >= 7000)).toBe(true);
    expect(ksef.sessions.get(session.referenceNumber)?.invoices).toHaveLength(1);
  });

  it('a withdrawn public key (21470) is fetched again and the open retried once', async () => {
    const { gateway } = await setup();
    await gateway.authenticate();
    ksef.publish([keyB]);
    const session = await gateway.openOnlineSession();
    expect(session.referenceNumber).toMatch(/-SO-/);
    expect(ksef.requests.filter((r) => r.path === '/security/public-key-certificates')).toHaveLength(2);
    expect(ksef.requests.filter((r) => r.path === '/sessions/online')).toHaveLength(2);
  });

  it('the session invoice list is read across all continuation pages', async () => {
    const { gateway } = await setup();
    const session = await gateway.openOnlineSession();
    for (let n = 1; n <= 5; n++) await gateway.sendInvoice(session.referenceNumber, { xml: invoiceXml(n) });
    const all = await gateway.listSessionInvoices(session.referenceNumber);
    expect(all.map((i) => i.ordinalNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(await gateway.findInvoiceByHash(session.referenceNumber, gateway.invoiceHash(invoiceXml(5)))).toMatchObject({ ordinalNumber: 5 });
  });

  it('X-System-Warning headers reach the caller', async () => {
    const { gateway, warnings } = await setup();
    ksef.faults.systemWarning = '[W001]: planned maintenance';
    await gateway.authenticate();
    expect(warnings[0]).toMatchObject({ message: '[W001]: planned maintenance' });
  });

  it('sending into a session this process did not open is refused before anything is sent', async () => {
    const { gateway } = await setup();
    await expect(gateway.sendInvoice('20261125-SO-0000000000-0000000000-00', { xml: invoiceXml(1) })).rejects.toThrow(KsefConfigurationError);
    expect(ksef.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices'))).toHaveLength(0);
  });
});
