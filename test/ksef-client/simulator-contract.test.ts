import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { createTestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import type { KsefCredentials } from '../../functions/adapters/ksef/client/auth/credentials.js';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { KsefApiError, KsefAuthenticationError, KsefConfigurationError } from '../../functions/ports/ksef-errors.js';
import type { KsefWarning } from '../../functions/adapters/ksef/client/http/transport.js';
import { sampleInvoice } from './helpers/sample-invoice.js';

const NIP = '5265877635';
const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };

/** Virtual time for the client: Retry-After and polling waits advance it instead of sleeping. */
function virtualTimer(): Timer & { slept: number[] } {
  let now = Date.now();
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

let sim: KsefSimulator;

// One simulator for the file (starting one costs key generation); each test logs in afresh.
beforeAll(async () => {
  sim = await createKsefSimulator({ delays: NO_DELAYS, rateLimits: false });
});

afterAll(async () => {
  await sim.close();
});

interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
}

/** The real fetch, with every request the client makes written down. */
function recordingFetch(seen: SeenRequest[]): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push({ method: init?.method ?? 'GET', path: url.pathname.replace(/^\/v2/, ''), headers: new Headers(init?.headers) });
    return fetch(input, init);
  };
}

async function setup(credentials?: KsefCredentials, extra: Partial<ConstructorParameters<typeof HttpKsefGateway>[0]> = {}) {
  sim.faults.clear();
  const timer = virtualTimer();
  const seen: SeenRequest[] = [];
  const warnings: KsefWarning[] = [];
  const creds = credentials ?? { kind: 'token' as const, token: sim.registerKsefToken({ nip: NIP }) };
  const gateway = new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip: NIP,
    credentials: creds,
    timer,
    onWarning: (w) => warnings.push(w),
    sendOnce: { reconcileDelayMs: 200 },
    fetchImpl: recordingFetch(seen),
    ...extra,
  });
  return { sim, gateway, timer, seen, warnings };
}

describe('the KSeF client against the KSeF simulator', () => {
  it('logs in with a KSeF token: key, challenge, encrypted token, status, one-time redeem, rate limits', async () => {
    const { gateway, seen } = await setup();
    await gateway.authenticate();
    const calls = seen.map((r) => `${r.method} ${r.path.replace(/\d{8}-AU-[^/]+/, '{ref}')}`);
    expect(calls).toEqual(['GET /security/public-key-certificates', 'POST /auth/challenge', 'POST /auth/ksef-token', 'GET /auth/{ref}', 'POST /auth/token/redeem', 'GET /rate-limits']);
    expect(seen.every((r) => r.headers.get('x-error-format') === 'problem-details')).toBe(true);
  });

  it('a KSeF token the simulator does not know is refused, not retried', async () => {
    const { gateway } = await setup({ kind: 'token', token: `20261125-EC-0000000000-0000000000-00|nip-${NIP}|${'0'.repeat(64)}` });
    await expect(gateway.authenticate()).rejects.toSatisfy((e) => e instanceof KsefAuthenticationError || e instanceof KsefApiError);
  });

  it('surfaces X-System-Warning to the caller', async () => {
    const { sim, gateway, warnings } = await setup();
    sim.faults.set({ systemWarning: '[W001]: planowana przerwa' });
    await gateway.authenticate();
    expect(warnings[0]).toMatchObject({ message: '[W001]: planowana przerwa' });
  });

  it('refuses to send into a session this process did not open, before anything is sent', async () => {
    const { gateway, seen } = await setup();
    await expect(gateway.sendInvoice('20261125-SO-0000000000-0000000000-00', { xml: sampleInvoice(NIP, 99) })).rejects.toThrow(KsefConfigurationError);
    expect(seen).toEqual([]);
  });

  it('reads the session invoice list across all continuation pages', async () => {
    const { sim, gateway } = await setup(undefined, { sessionInvoicePageSize: 10 });
    const session = await gateway.openOnlineSession();
    for (let n = 1; n <= 23; n++) await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 200 + n) });
    await sim.settle();
    const all = await gateway.listSessionInvoices(session.referenceNumber);
    expect(all.map((i) => i.ordinalNumber)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(await gateway.findInvoiceByHash(session.referenceNumber, gateway.invoiceHash(sampleInvoice(NIP, 223)))).toMatchObject({ ordinalNumber: 23 });
  });

  for (const keyType of ['RSA', 'EC'] as const) {
    it(`logs in with a XAdES signature made with an ${keyType} certificate`, async () => {
      const cert = await createTestCertificate({ nip: NIP, keyType });
      const { gateway } = await setup({ kind: 'certificate', ...cert });
      await expect(gateway.authenticate()).resolves.toBeUndefined();
    });
  }

  it('sends an invoice online and gets its KSeF number, the invoice UPO and the session UPO', async () => {
    // Prepare
    const { sim, gateway } = await setup();
    const session = await gateway.openOnlineSession();
    // Act
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 1) });
    await sim.settle();
    const status = await gateway.getInvoiceStatus(session.referenceNumber, sent.invoiceReferenceNumber);
    const invoiceUpo = await gateway.downloadInvoiceUpo(session.referenceNumber, sent.invoiceReferenceNumber);
    await gateway.closeOnlineSession(session.referenceNumber);
    await sim.settle();
    const state = await gateway.getSessionState(session.referenceNumber);
    const sessionUpo = await gateway.downloadSessionUpo(session.referenceNumber);
    // Assess
    expect(status.status.code).toBe(200);
    expect(status.ksefNumber).toMatch(new RegExp(`^${NIP}-\\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$`));
    expect(status.invoiceHash).toBe(sent.invoiceHash);
    expect(invoiceUpo.xml).toContain(status.ksefNumber ?? 'missing');
    expect(state.status.code).toBe(200);
    expect(sessionUpo).toHaveLength(1);
    expect(sessionUpo[0]?.xml).toContain(status.ksefNumber ?? 'missing');
  });

  it('reconciles a response lost after the send by hash and never sends the invoice twice', async () => {
    // Prepare
    const { sim, gateway } = await setup();
    const session = await gateway.openOnlineSession();
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/online/[^/]+/invoices$' } });
    // Act
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 2) });
    await sim.settle();
    // Assess
    const invoices = await gateway.listSessionInvoices(session.referenceNumber);
    expect(sent.reconciled).toBe(true);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.referenceNumber).toBe(sent.invoiceReferenceNumber);
  });

  it('with maxPosts 2 treats a 503 on send as an unknown outcome, finds nothing by hash, and sends exactly once more', async () => {
    const { sim, gateway, seen } = await setup(undefined, { sendOnce: { reconcileDelayMs: 200, maxPosts: 2 } });
    const session = await gateway.openOnlineSession();
    sim.faults.set({ serverErrors: { count: 1, status: 503, match: '^POST /sessions/online/[^/]+/invoices$' } });
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 4) });
    await sim.settle();
    expect(sent.reconciled).toBe(false);
    expect(seen.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices'))).toHaveLength(2);
    expect(seen.some((r) => r.method === 'GET' && r.path.endsWith(`${session.referenceNumber}/invoices`))).toBe(true);
    expect(await gateway.listSessionInvoices(session.referenceNumber)).toHaveLength(1);
  });

  it('a close whose response is lost is confirmed by the session status, not repeated', async () => {
    const { sim, gateway, seen } = await setup();
    const session = await gateway.openOnlineSession();
    await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 5) });
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/online/[^/]+/close$' } });
    await gateway.closeOnlineSession(session.referenceNumber);
    expect(seen.filter((r) => r.method === 'POST' && r.path.endsWith('/close'))).toHaveLength(1);
    expect((await gateway.getSessionState(session.referenceNumber)).status.code).not.toBe(100);
  });

  it('retries an idempotent status read after a 503', async () => {
    const { sim, gateway } = await setup();
    const session = await gateway.openOnlineSession();
    sim.faults.set({ serverErrors: { count: 1, status: 503, match: '^GET /sessions/[^/]+$' } });
    await expect(gateway.getSessionState(session.referenceNumber)).resolves.toMatchObject({ status: { code: 100 } });
  });

  it('refreshes the access token before it expires instead of logging in again, and logout revokes the refresh token', async () => {
    // Prepare
    const { gateway, seen, timer } = await setup();
    await gateway.authenticate();
    // Act: 14 of the access token's 15 minutes pass (virtually); the next call is inside the refresh margin.
    await timer.sleep(14 * 60_000 + 1_000);
    await gateway.openOnlineSession();
    await gateway.logout();
    // Assess
    expect(seen.filter((r) => r.path === '/auth/token/refresh')).toHaveLength(1);
    expect(seen.filter((r) => r.path === '/auth/token/redeem')).toHaveLength(1);
    expect(seen.filter((r) => r.method === 'DELETE' && r.path === '/auth/sessions/current')).toHaveLength(1);
  });

  it('waits Retry-After on 429 and then sends once', async () => {
    const { sim, gateway, timer } = await setup();
    const session = await gateway.openOnlineSession();
    sim.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 3, match: '^POST /sessions/online/[^/]+/invoices$' } });
    const sent = await gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 3) });
    expect(sent.reconciled).toBe(false);
    expect(timer.slept).toContain(3000);
    expect(await gateway.listSessionInvoices(session.referenceNumber)).toHaveLength(1);
  });

  it('refetches the public keys after 21470 and retries the open once', async () => {
    const { sim, gateway } = await setup();
    await gateway.openOnlineSession();
    const old = [...sim.keys.published()];
    await sim.rotateKey();
    for (const key of old) sim.withdrawKey(key.publicKeyId);
    const session = await gateway.openOnlineSession();
    expect(session.referenceNumber).toMatch(/-SO-/);
  });

  for (const [compression, first] of [['Zip', 10], ['TarGz', 20]] as const) {
    it(`sends a ${compression} batch in several encrypted parts, uploaded without the token, and every invoice gets a KSeF number`, async () => {
      // Prepare
      const { sim, gateway, seen } = await setup(undefined, { batch: { maxPartBytes: 1_000 } });
      const invoices = Array.from({ length: 5 }, (_, i) => ({ fileName: `FV-${i + first}.xml`, xml: sampleInvoice(NIP, i + first) }));
      // Act
      const sent = await gateway.sendBatch(invoices, { compression });
      await sim.settle();
      // Assess
      const results = await gateway.listSessionInvoices(sent.sessionReferenceNumber);
      const uploads = seen.filter((r) => r.method === 'PUT');
      expect(sent.partCount).toBeGreaterThan(1);
      expect(uploads).toHaveLength(sent.partCount);
      expect(uploads.every((r) => r.headers.get('authorization') === null)).toBe(true);
      expect(results).toHaveLength(5);
      expect(results.every((r) => r.status.code === 200 && r.ksefNumber)).toBe(true);
      expect(new Set(results.map((r) => r.invoiceHash))).toEqual(new Set(Object.values(sent.invoiceHashes)));
    });
  }
});

describe('the KSeF client reading purchase invoices from the KSeF simulator', () => {
  const SELLER = '7010002137';
  let incoming: KsefSimulator;
  let gateway: HttpKsefGateway;
  const seededNumbers: string[] = [];

  beforeAll(async () => {
    // Small caps so that truncation and package limits show with a dozen invoices.
    incoming = await createKsefSimulator({ delays: NO_DELAYS, rateLimits: false, queryResultCap: 5, exportInvoiceCap: 5 });
    const start = Date.now() - 3_600_000;
    for (let n = 1; n <= 12; n++) {
      const stored = await incoming.seedIncomingInvoice({ sellerNip: SELLER, buyerNip: NIP, invoiceNumber: `ZAK/${n}`, acquisitionDate: new Date(start + n * 60_000) });
      seededNumbers.push(stored.ksefNumber);
    }
    const token = incoming.registerKsefToken({ nip: NIP });
    gateway = new HttpKsefGateway({ environment: { name: 'LOCAL', baseUrl: incoming.url }, nip: NIP, credentials: { kind: 'token', token }, timer: virtualTimer(), onWarning: () => undefined });
  });

  afterAll(async () => {
    await incoming.close();
  });

  it('queries Subject2 metadata across pages and truncation windows without losing or repeating one', async () => {
    const found = await gateway.queryInvoiceMetadata({ subjectType: 'Subject2', dateType: 'PermanentStorage', from: new Date(Date.now() - 86_400_000).toISOString() });
    expect(found.map((i) => i.ksefNumber).sort()).toEqual([...seededNumbers].sort());
  });

  it('stops a metadata query at maxRecords', async () => {
    const found = await gateway.queryInvoiceMetadata({ subjectType: 'Subject2', dateType: 'PermanentStorage', from: new Date(Date.now() - 86_400_000).toISOString(), maxRecords: 3 });
    expect(found).toHaveLength(3);
  });

  it('downloads one invoice by its KSeF number', async () => {
    const doc = await gateway.downloadInvoice(seededNumbers[3] ?? '');
    expect(doc.xml).toContain('<P_2>ZAK/4</P_2>');
    expect(doc.hash).toBe(gateway.invoiceHash(doc.xml));
  });

  it('syncs purchase invoices by export from the high-water mark until nothing new is left', async () => {
    // Act: one export package after another, as the incoming-documents code unit would run them.
    const seen = new Map<string, string>();
    let from = new Date(Date.now() - 86_400_000).toISOString();
    let rounds = 0;
    for (;;) {
      const pkg = await gateway.syncInvoices({ subjectType: 'Subject2', from });
      for (const invoice of pkg.invoices) seen.set(invoice.metadata.ksefNumber, invoice.xml);
      expect(pkg.nextFrom >= from).toBe(true);
      from = pkg.nextFrom;
      if (!pkg.isTruncated || ++rounds > 10) break;
    }
    const again = await gateway.syncInvoices({ subjectType: 'Subject2', from });
    // Assess
    expect(rounds).toBeGreaterThan(1);
    expect([...seen.keys()].sort()).toEqual([...seededNumbers].sort());
    expect(seen.get(seededNumbers[0] ?? '')).toContain('<P_2>ZAK/1</P_2>');
    expect(again.invoices.filter((i) => !seen.has(i.metadata.ksefNumber))).toEqual([]);
  });
});
