import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import type { KsefSessionRepository } from '../../../functions/ports/ksef-session-repository.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { heldBySimulator, makeWorld, startSimulator, today, VirtualTime, type World } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;
let prefix = 0;

beforeAll(async () => {
  // These tests move time on by up to an hour: start at 08:00 UTC (morning in Warsaw) so that no
  // invoice issued "today" becomes one KSeF would mark offline.
  const now = time.clock.now().getTime();
  time.advance(((Date.UTC(2000, 0, 1, 8) - now) % 86_400_000 + 86_400_000) % 86_400_000);
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

async function submitBacklog(world: World, count = 12): Promise<string[]> {
  const p = ++prefix;
  const invoiceNumbers = Array.from({ length: count }, (_, i) => `BR/${p}/${i + 1}`);
  for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
  return invoiceNumbers;
}

function units(world: World, ksef: KsefGateway = world.ksef) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef };
  return { send: createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 10 } }), poll: createProcessSessionsCodeUnit(deps) };
}

/** The process dies inside `sendBatch`: right at its start, or once `onOpened` has recorded the session. */
function dyingGateway(ksef: KsefGateway, when: 'before-open' | 'after-open'): KsefGateway {
  const died = new Error('the process died');
  return Object.assign(Object.create(ksef) as KsefGateway, {
    sendBatch: async (...[invoices, options, signal]: Parameters<KsefGateway['sendBatch']>) => {
      if (when === 'after-open') {
        const onOpened = async (ref: string, opened: Parameters<NonNullable<NonNullable<typeof options>['onOpened']>>[1]) => {
          await options?.onOpened?.(ref, opened);
          throw died;
        };
        await ksef.sendBatch(invoices, { ...options, onOpened }, signal).catch(() => undefined);
      }
      // Nothing the caller does after this counts: it is as if the run never came back.
      throw died;
    },
  });
}

/** KSeF lagging: it still shows the given session as 100 (open) although its window is over. */
function stuckOpen(ksef: KsefGateway, ref: () => string): KsefGateway {
  return Object.assign(Object.create(ksef) as KsefGateway, {
    getSessionState: async (...[session, signal]: Parameters<KsefGateway['getSessionState']>) => {
      const state = await ksef.getSessionState(session, signal);
      return session === ref() ? { ...state, status: { code: 100, description: 'Sesja wsadowa rozpoczęta', details: [] } } : state;
    },
  });
}

describe('send-documents recovering a batch an earlier run left in Sending', () => {
  it('a run that died before KSeF opened the batch leaves no reference; a run after unknownBatchRetryAfterMs puts the documents back and sends them once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    await units(world, dyingGateway(world.ksef, 'before-open')).send.run(world.context());
    const afterDeath = await world.all();
    // Act
    const soon = await units(world).send.run(world.context());
    const afterSoon = await world.all();
    time.advance(15 * 60_000);
    const later = await units(world).send.run(world.context());
    await sim.settle();
    await units(world).poll.run(world.context());
    // Assess
    expect(afterDeath.every((d) => d.status === 'Sending' && d.sessionReferenceNumber?.startsWith('batch-'))).toBe(true);
    expect(soon.counters).toMatchObject({ returnedToPending: 0, sent: 0 });
    expect(afterSoon.every((d) => d.status === 'Sending')).toBe(true);
    expect(later.counters).toMatchObject({ returnedToPending: 12, sent: 12, batches: 1 });
    expect((await world.all()).every((d) => d.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a run that died after the open is waited for until KSeF cancels the unclosed session (440); then the documents go back to Pending and are sent once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    const context = world.context();
    await units(world, dyingGateway(world.ksef, 'after-open')).send.run(context);
    const record = await world.sessions.get(`batch-${context.runId}-1`);
    const { send, poll } = units(world);
    // Act
    const within = await send.run(world.context());
    const polledWithin = await poll.run(world.context());
    const afterWithin = await world.all();
    time.advance(21 * 60_000);
    await poll.run(world.context());
    const afterCancel = await world.all();
    await send.run(world.context());
    await sim.settle();
    await poll.run(world.context());
    // Assess
    expect(record).toMatchObject({ referenceNumber: expect.stringContaining('-SB-'), uploadDeadline: expect.any(String), closedAt: null, settled: false });
    expect(within.counters).toMatchObject({ returnedToPending: 0, sent: 0 });
    expect(polledWithin.counters).toMatchObject({ accepted: 0, stillProcessing: 12 });
    expect(afterWithin.every((d) => d.status === 'Sending')).toBe(true);
    expect(afterCancel.every((d) => d.status === 'Pending')).toBe(true);
    expect((await world.all()).every((d) => d.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path === `/sessions/batch/${record?.referenceNumber}/close`)).toHaveLength(0);
  });

  it('a batch KSeF still shows open after its upload window is never closed late: its documents go back to Pending and are sent once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    const context = world.context();
    await units(world, dyingGateway(world.ksef, 'after-open')).send.run(context);
    const record = await world.sessions.get(`batch-${context.runId}-1`);
    const lagging = stuckOpen(world.ksef, () => record?.referenceNumber ?? '');
    // Act
    time.advance(20 * 60_000 + 5 * 60_000 + 1_000);
    const late = await units(world, lagging).send.run(world.context());
    await sim.settle();
    await units(world).poll.run(world.context());
    const settled = await world.sessions.get(record?.id ?? '');
    // Assess
    expect(late.counters).toMatchObject({ returnedToPending: 12, sent: 12, batches: 1 });
    expect(settled).toMatchObject({ settled: true, closedAt: null, status: { description: expect.stringContaining('upload window has passed') } });
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path === `/sessions/batch/${record?.referenceNumber}/close`)).toHaveLength(0);
    expect((await world.all()).every((d) => d.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a run still alive when another run has taken its unopened batch over uploads nothing and never closes its session; every invoice is held once', async () => {
    // Prepare: run A is slow to open; meanwhile run B finds A's batch without a reference, settles
    // it, puts the documents back and sends them itself. Then A's session opens.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    let takenOver: Promise<unknown> | undefined;
    const slowA: KsefSessionRepository = {
      create: (record) => world.sessions.create(record),
      get: (id) => world.sessions.get(id),
      listUnfinished: () => world.sessions.listUnfinished(),
      update: async (...[next, version]: Parameters<KsefSessionRepository['update']>) => {
        if (next.referenceNumber !== null && takenOver === undefined) {
          time.advance(15 * 60_000);
          takenOver = units(world, world.newGateway()).send.run(world.context());
          await takenOver;
        }
        return world.sessions.update(next, version);
      },
    };
    const runA = createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: slowA, ksef: world.ksef, config: { batchThreshold: 10 } });
    const context = world.context();
    // Act
    const a = await runA.run(context);
    const b = (await takenOver) as { counters: Record<string, number> };
    await sim.settle();
    await units(world).poll.run(world.context());
    // Assess
    const recordA = await world.sessions.get(`batch-${context.runId}-1`);
    const sessionA = [...sim.state.sessions.values()].filter((session) => session.kind === 'Batch' && session.closedAt === null).at(-1);
    expect(b.counters).toMatchObject({ returnedToPending: 12, sent: 12, batches: 1 });
    expect(a.counters).toMatchObject({ sent: 0, failed: 12, batches: 0, returnedToPending: 0 });
    expect(recordA).toMatchObject({ referenceNumber: null, settled: true });
    expect(sessionA?.batch?.parts.every((part) => part.uploaded === null)).toBe(true);
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/close'))).toHaveLength(1);
    expect((await world.all()).every((d) => d.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});
