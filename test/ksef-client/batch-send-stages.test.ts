import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { KsefApiError, KsefBatchSendError } from '../../functions/ports/ksef-errors.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import type { BatchInvoice } from '../../functions/ports/ksef-gateway.js';
import { VirtualTime } from '../code-units/outgoing/outgoing-harness.js';
import { sampleInvoice } from './helpers/sample-invoice.js';

const NIP = '5265877635';
const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };
const time = new VirtualTime();
let sim: KsefSimulator;
let next = 0;

beforeAll(async () => {
  sim = await createKsefSimulator({ clock: time.clock, delays: NO_DELAYS, rateLimits: false });
});

afterAll(async () => {
  await sim.close();
});

/** A client on the simulator's clock; `beforeRequest` runs before each request leaves. */
function gateway(beforeRequest: (method: string, path: string) => void = () => undefined) {
  sim.faults.clear();
  return new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip: NIP,
    credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
    timer: time.timer,
    onWarning: () => undefined,
    fetchImpl: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      beforeRequest(init?.method ?? 'GET', url.pathname.replace(/^\/v2/, ''));
      return fetch(input, init);
    },
  });
}

function invoices(count: number): BatchInvoice[] {
  return Array.from({ length: count }, () => {
    const n = `STG/${++next}`;
    return { fileName: `${n.replace('/', '-')}.xml`, xml: sampleInvoice(NIP, n, time.clock.now()) };
  });
}

async function failure(promise: Promise<unknown>): Promise<KsefBatchSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KsefBatchSendError)) throw new Error(`expected a KsefBatchSendError, got ${String(error)}`);
  return error;
}

describe('the KSeF client sending a batch: how far it got', () => {
  it('sends a TarGz batch: the simulator unpacks it and every invoice gets a KSeF number', async () => {
    // Prepare
    const client = gateway();
    const batch = invoices(4);
    const opened: string[] = [];
    // Act
    const sent = await client.sendBatch(batch, { compression: 'TarGz', onOpened: async (ref) => void opened.push(ref) });
    await sim.settle();
    // Assess
    const results = await client.listSessionInvoices(sent.sessionReferenceNumber);
    expect(opened).toEqual([sent.sessionReferenceNumber]);
    expect(sim.state.sessions.get(sent.sessionReferenceNumber)?.batch?.compressionType).toBe('TarGz');
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.status.code === 200 && r.ksefNumber)).toBe(true);
    expect(new Set(results.map((r) => r.invoiceFileName))).toEqual(new Set(batch.map((i) => i.fileName)));
    expect((await client.getSessionState(sent.sessionReferenceNumber)).status.code).toBe(200);
  });

  it('calls onOpened with the reference and the upload window before the first part goes up', async () => {
    // Prepare
    const order: string[] = [];
    const client = gateway((method, path) => {
      if (method === 'PUT' || path.startsWith('/sessions/batch')) order.push(`${method} ${path.startsWith('/_blob') ? 'part' : path.replace(/\d{8}-SB-[^/]+/, '{ref}')}`);
    });
    const started = time.clock.now().getTime();
    let window = 0;
    // Act
    await client.sendBatch(invoices(2), { onOpened: async (_ref, opened) => void (order.push('onOpened'), (window = Date.parse(opened.uploadDeadline) - started)) });
    // Assess
    expect(order).toEqual(['POST /sessions/batch', 'onOpened', 'PUT part', 'POST /sessions/batch/{ref}/close']);
    expect(window).toBeGreaterThanOrEqual(20 * 60_000);
  });

  it('a lost answer to the open fails as open-unknown without a reference, and nothing is uploaded or closed', async () => {
    // Prepare
    const seen: string[] = [];
    const client = gateway((method, path) => seen.push(`${method} ${path}`));
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch$' } });
    // Act
    const error = await failure(client.sendBatch(invoices(2)));
    // Assess
    expect(error).toMatchObject({ stage: 'open-unknown', sessionReferenceNumber: null });
    expect(seen.filter((r) => r.startsWith('PUT') || r.endsWith('/close'))).toEqual([]);
  });

  it('an open KSeF refuses fails as before-open', async () => {
    // Prepare
    const client = gateway();
    await client.authenticate();
    sim.faults.set({ tooManyRequests: { count: 10, retryAfterSeconds: 1, match: '^POST /sessions/batch$' } });
    // Act
    const error = await failure(client.sendBatch(invoices(1)));
    // Assess
    expect(error).toMatchObject({ stage: 'before-open', sessionReferenceNumber: null });
    expect(error.cause).toBeInstanceOf(KsefApiError);
  });

  it('onOpened failing stops the batch before any upload (before-close), and the unclosed session ends as 440 once its window has passed', async () => {
    // Prepare
    const seen: string[] = [];
    const client = gateway((method, path) => seen.push(`${method} ${path}`));
    // Act
    const error = await failure(client.sendBatch(invoices(2), { onOpened: async () => Promise.reject(new Error('record not written')) }));
    const ref = error.sessionReferenceNumber ?? '';
    const within = await client.getSessionState(ref);
    time.advance(20 * 60_000 + 1_000);
    const after = await client.getSessionState(ref);
    // Assess
    expect(error.stage).toBe('before-close');
    expect(ref).toContain('-SB-');
    expect(seen.filter((r) => r.startsWith('PUT') || r.endsWith('/close'))).toEqual([]);
    expect(within.status.code).toBe(100);
    expect(after.status).toMatchObject({ code: 440, description: 'Sesja anulowana' });
  });

  it('a close KSeF refuses because the upload window passed fails as close-refused (21208)', async () => {
    // Prepare: the parts go up in time, then the clock passes the window before the close.
    let late = false;
    const client = gateway((method, path) => {
      if (method !== 'POST' || !path.endsWith('/close') || late) return;
      late = true;
      time.advance(21 * 60_000);
    });
    // Act
    const error = await failure(client.sendBatch(invoices(1)));
    // Assess
    expect(error.stage).toBe('close-refused');
    expect(error.cause).toBeInstanceOf(KsefApiError);
    expect((error.cause as KsefApiError).codes).toContain(21208);
  });

  it('a close whose answer is lost and whose status cannot be read fails as close-unknown, with the reference', async () => {
    // Prepare
    const client = gateway();
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch/[^/]+/close$' }, serverErrors: { count: 4, match: '^GET /sessions/[^/]+$' } });
    // Act
    const error = await failure(client.sendBatch(invoices(1)));
    await sim.settle();
    // Assess
    expect(error).toMatchObject({ stage: 'close-unknown', sessionReferenceNumber: expect.stringContaining('-SB-') });
    expect((await client.getSessionState(error.sessionReferenceNumber ?? '')).status.code).toBe(200);
  });

  it('a close whose answer is lost but which landed is found by the session status, and the batch succeeds', async () => {
    // Prepare
    const client = gateway();
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch/[^/]+/close$' } });
    // Act
    const sent = await client.sendBatch(invoices(2));
    await sim.settle();
    // Assess
    expect((await client.listSessionInvoices(sent.sessionReferenceNumber)).every((r) => r.status.code === 200)).toBe(true);
  });
});
