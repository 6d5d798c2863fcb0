import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { KsefUnknownOutcomeError } from '../../functions/ports/ksef-errors.js';
import { sampleInvoice } from './helpers/sample-invoice.js';

const NIP = '5265877635';
const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };
const INVOICE_POST = /^\/sessions\/online\/[^/]+\/invoices$/;
const INVOICE_LIST = /^\/sessions\/[^/]+\/invoices$/;

let sim: KsefSimulator;

beforeAll(async () => {
  sim = await createKsefSimulator({ delays: NO_DELAYS, rateLimits: false });
});

afterAll(async () => {
  await sim.close();
});

function virtualTimer(): Timer {
  let now = Date.now();
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

/**
 * A client whose fetch writes every request down and, while `hideListings` is above 0, answers a
 * read of a session's invoice list with an empty list: KSeF that took an invoice but lists it late.
 */
function setup() {
  sim.faults.clear();
  const posts: string[] = [];
  const state = { hideListings: 0 };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = url.pathname.replace(/^\/v2/, '');
    const method = init?.method ?? 'GET';
    if (method === 'POST' && INVOICE_POST.test(path)) posts.push(path);
    if (method === 'GET' && INVOICE_LIST.test(path) && state.hideListings > 0) {
      state.hideListings--;
      return new Response(JSON.stringify({ invoices: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    return fetch(input, init);
  };
  const gateway = new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip: NIP,
    credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
    timer: virtualTimer(),
    onWarning: () => undefined,
    sendOnce: { reconcileDelayMs: 200 },
    fetchImpl,
  });
  return { gateway, posts, state };
}

describe('sendInvoice after a lost response', () => {
  it('does not POST an invoice again when KSeF took it but does not list it yet: the outcome stays unknown for the caller', async () => {
    // Prepare: the POST is processed and its response lost; the next read of the list does not show it yet.
    const { gateway, posts, state } = setup();
    const session = await gateway.openOnlineSession();
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/online/[^/]+/invoices$' } });
    state.hideListings = 1;
    // Act
    const sending = gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 501) });
    await expect(sending).rejects.toBeInstanceOf(KsefUnknownOutcomeError);
    await gateway.closeOnlineSession(session.referenceNumber);
    await sim.settle();
    const listed = await gateway.listSessionInvoices(session.referenceNumber);
    // Assess
    expect(posts).toHaveLength(1);
    expect(listed).toHaveLength(1);
  });

  it('by default a 503 on send is one POST: nothing is found by hash and the unknown outcome goes to the caller', async () => {
    // Prepare
    const { gateway, posts } = setup();
    const session = await gateway.openOnlineSession();
    sim.faults.set({ serverErrors: { count: 1, status: 503, match: '^POST /sessions/online/[^/]+/invoices$' } });
    // Act
    const sending = gateway.sendInvoice(session.referenceNumber, { xml: sampleInvoice(NIP, 502) });
    // Assess
    await expect(sending).rejects.toBeInstanceOf(KsefUnknownOutcomeError);
    expect(posts).toHaveLength(1);
    expect(await gateway.listSessionInvoices(session.referenceNumber)).toEqual([]);
  });
});
