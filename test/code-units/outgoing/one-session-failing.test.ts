import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createProcessUpoCodeUnit } from '../../../functions/code-units/process-upo/process-upo.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefSessionRecord } from '../../../functions/ports/ksef-session-repository.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { rejection } from '../../helpers/rejection.js';
import { makeWorld, startSimulator, today, VirtualTime, type World } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;
let prefix = 0;

beforeAll(async () => {
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

function units(world: World) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
  return { send: createSendDocumentsCodeUnit(deps), poll: createProcessSessionsCodeUnit(deps), upo: createProcessUpoCodeUnit(deps) };
}

/** Sends each invoice in a session of its own, oldest first, and waits for KSeF to process them. */
async function sendOneSessionEach(world: World, xmls: readonly string[]): Promise<void> {
  const { send } = units(world);
  for (const xml of xmls) {
    await world.submit(xml);
    await send.run(world.context());
    time.advance(1_000);
  }
  await sim.settle();
}

/** A session record KSeF has never heard of (e.g. written against another environment), opened before everything else. */
async function recordUnknownSession(world: World, overrides: Partial<KsefSessionRecord> = {}): Promise<string> {
  const id = '20260101-SO-0000000000-0000000000-00';
  await world.sessions.create({
    id,
    kind: 'Online',
    referenceNumber: id,
    documentIds: [],
    openedAt: '2026-01-01T08:00:00.000Z',
    closedAt: '2026-01-01T08:01:00.000Z',
    status: null,
    settled: false,
    upoPages: null,
    invoiceUposDone: false,
    updatedAt: '2026-01-01T08:01:00.000Z',
    version: 1,
    ...overrides,
  });
  return id;
}

function invoice(suffix: number): string {
  return makeInvoiceXml({ number: `ISO/${prefix}/${suffix}`, issueDate: today(time) });
}

describe('process-sessions and process-upo go on with the next session when one fails', () => {
  it.each([
    {
      why: 'KSeF has processed the original but cannot give it yet (21165)',
      async original(xml: string, world: World) {
        await sim.seedIncomingInvoice({ xml, acquisitionDate: new Date(time.clock.now().getTime() + 3_600_000) });
        void world;
      },
    },
    {
      why: 'the invoice download limit of 64 an hour is spent (429, then the rate budget)',
      async original(xml: string, world: World) {
        const other = world.newGateway();
        const session = await other.openOnlineSession();
        await other.sendInvoice(session.referenceNumber, { xml });
        await sim.settle();
        sim.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 3_600, match: '^GET /invoices/ksef/' } });
      },
    },
  ])('a 440 duplicate whose original cannot be downloaded now because $why stays Sent, the later session is polled, and the next run reconciles it', async ({ original }) => {
    // Prepare
    sim.faults.clear();
    prefix++;
    const world = makeWorld(sim, time);
    const duplicate = invoice(1);
    await original(duplicate, world);
    await sendOneSessionEach(world, [duplicate, invoice(2)]);
    const { poll } = units(world);
    // Act
    const first = await poll.run(world.context());
    const afterFirst = await world.all();
    time.advance(3_600_000 + 60_000);
    const second = await poll.run(world.context());
    const afterSecond = await world.all();
    // Assess
    expect(first.counters).toMatchObject({ accepted: 1, stillProcessing: 1, duplicatesReconciled: 0, rejected: 0, sessionsSettled: 1 });
    expect(afterFirst.map((doc) => doc.status)).toEqual(['Sent', 'Accepted']);
    expect(second.counters).toMatchObject({ duplicatesReconciled: 1, stillProcessing: 0, sessionsSettled: 1 });
    expect(afterSecond[0]).toMatchObject({ status: 'Accepted', duplicateOf: { ksefNumber: expect.stringMatching(/^5265877635-/) } });
  });

  it('a session KSeF does not know ends the run of process-sessions in Error naming it, after the later sessions were polled', async () => {
    // Prepare
    sim.faults.clear();
    prefix++;
    const world = makeWorld(sim, time);
    const unknown = await recordUnknownSession(world);
    await sendOneSessionEach(world, [invoice(1)]);
    const { poll } = units(world);
    // Act
    const error = await rejection<Error>(poll.run(world.context()));
    // Assess
    expect(error.message).toContain(unknown);
    expect(error.message).toContain('21173');
    expect(error.message).toMatch(/sessionsFailed.{0,3}1/);
    expect((await world.all()).map((doc) => doc.status)).toEqual(['Accepted']);
  });

  it('a session whose UPO downloads keep failing with 503 is counted and tried again next run, while the later session gets its UPOs', async () => {
    // Prepare
    sim.faults.clear();
    prefix++;
    const world = makeWorld(sim, time);
    await sendOneSessionEach(world, [invoice(1), invoice(2)]);
    const { poll, upo } = units(world);
    await poll.run(world.context());
    const [older] = await world.all();
    sim.faults.set({ serverErrors: { count: 4, status: 503, match: `^GET /sessions/${older?.sessionReferenceNumber ?? '?'}/` } });
    // Act
    const first = await upo.run(world.context());
    const afterFirst = await world.all();
    const second = await upo.run(world.context());
    // Assess
    expect(first.counters).toMatchObject({ upoStored: 1, sessionUpoStored: 1, sessionsFailed: 1 });
    expect(afterFirst.map((doc) => doc.upoKey !== null)).toEqual([false, true]);
    expect(second.counters).toMatchObject({ upoStored: 1, sessionUpoStored: 1 });
    expect(second.counters).not.toHaveProperty('sessionsFailed');
    expect(await world.sessions.listUnfinished()).toEqual([]);
  });

  it('a session KSeF does not know ends the run of process-upo in Error naming it, after the later sessions got their UPOs', async () => {
    // Prepare
    sim.faults.clear();
    prefix++;
    const world = makeWorld(sim, time);
    const unknown = await recordUnknownSession(world, { settled: true, status: { code: 200, description: 'Sesja przetworzona pomyślnie' } });
    await sendOneSessionEach(world, [invoice(1)]);
    const { poll, upo } = units(world);
    await poll.run(world.context());
    // Act
    const error = await rejection<Error>(upo.run(world.context()));
    // Assess
    expect(error.message).toContain(unknown);
    expect(error.message).toContain('21173');
    expect((await world.all()).map((doc) => doc.upoKey !== null)).toEqual([true]);
  });
});
