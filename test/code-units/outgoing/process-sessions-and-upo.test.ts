import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createProcessUpoCodeUnit } from '../../../functions/code-units/process-upo/process-upo.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import { documentBlobKeys } from '../../../functions/ports/document-store.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { heldBySimulator, makeWorld, startSimulator, today, VirtualTime, type World } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;
let prefix = 0;

beforeAll(async () => {
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

function numbers(count: number): string[] {
  const p = ++prefix;
  return Array.from({ length: count }, (_, i) => `PS/${p}/${i + 1}`);
}

function units(world: World) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
  return { send: createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 10 } }), poll: createProcessSessionsCodeUnit(deps), upo: createProcessUpoCodeUnit(deps) };
}

describe('process-sessions and process-upo against the KSeF simulator', () => {
  it('records KSeF numbers and acquisition dates, then stores every invoice UPO and the session UPO once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    for (const number of numbers(3)) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const { send, poll, upo } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const polled = await poll.run(world.context());
    const stored = await upo.run(world.context());
    const again = await upo.run(world.context());
    // Assess
    expect(polled.counters).toMatchObject({ accepted: 3, rejected: 0, stillProcessing: 0, sessionsSettled: 1 });
    expect(stored.counters).toEqual({ upoStored: 3, sessionUpoStored: 1 });
    expect(again.counters).toEqual({ upoStored: 0, sessionUpoStored: 0 });
    const docs = await world.all();
    for (const doc of docs) {
      expect(doc).toMatchObject({ status: 'Accepted', ksefNumber: expect.stringMatching(/^5265877635-/), acquisitionDate: expect.any(String) });
      expect(doc.upoKey).toBe(documentBlobKeys.invoiceUpo(doc.ksefNumber ?? ''));
      expect(Buffer.from((await world.store.get(doc.upoKey ?? '')) ?? []).toString('utf8')).toContain(doc.ksefNumber);
    }
    const sessionUpo = await world.store.get(documentBlobKeys.sessionUpo(docs[0]?.sessionReferenceNumber ?? '', 1));
    expect(Buffer.from(sessionUpo ?? []).toString('utf8')).toContain('Potwierdzenie');
    expect(await world.sessions.listUnfinished()).toEqual([]);
  });

  it('keeps invoices stuck in 150 as Sent across runs, never resends them, and records them once KSeF finishes', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(2);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    sim.faults.set({ stuckInvoices: { count: 2, ms: 3_600_000 } });
    const { send, poll } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const first = await poll.run(world.context());
    const second = await poll.run(world.context());
    const sendAgain = await send.run(world.context());
    time.advance(3_600_000 + 1_000);
    const last = await poll.run(world.context());
    // Assess
    expect(first.counters).toMatchObject({ accepted: 0, stillProcessing: 2, sessionsSettled: 0 });
    expect(second.counters).toMatchObject({ accepted: 0, stillProcessing: 2 });
    expect(sendAgain.counters).toMatchObject({ sent: 0, sessionsOpened: 0 });
    expect(last.counters).toMatchObject({ accepted: 2, stillProcessing: 0, sessionsSettled: 1 });
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('records a rejection with KSeF code, description and details: an issue date later than the day KSeF received it', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    const tomorrow = new Date(time.clock.now().getTime() + 36 * 3_600_000).toISOString().slice(0, 10);
    await world.submit(makeInvoiceXml({ number, issueDate: tomorrow }));
    const { send, poll } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const polled = await poll.run(world.context());
    // Assess
    expect(polled.counters).toMatchObject({ rejected: 1, accepted: 0 });
    const [doc] = await world.all();
    expect(doc?.status).toBe('Rejected');
    expect(doc?.rejection).toMatchObject({ code: 450, description: expect.any(String) });
    expect(doc?.rejection?.details.join(' ')).toContain(tomorrow);
  });

  it('a 440 duplicate of an invoice with different content under the same number is a rejection naming the original', async () => {
    // Prepare: another system already sent FV with this number, with other amounts.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    const other = world.newGateway();
    const session = await other.openOnlineSession();
    await other.sendInvoice(session.referenceNumber, { xml: makeInvoiceXml({ number, issueDate: today(time), amounts: { net: '1.00', vat: '0.23', gross: '1.23' } }) });
    await sim.settle();
    await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const { send, poll } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const polled = await poll.run(world.context());
    // Assess
    expect(polled.counters).toMatchObject({ rejected: 1, duplicatesReconciled: 0 });
    const [doc] = await world.all();
    expect(doc).toMatchObject({ status: 'Rejected', rejection: { code: 440 } });
    expect(doc?.rejection?.details.join(' ')).toMatch(/5265877635-/);
    expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a 440 duplicate whose original has the same hash is reconciled with the original KSeF number', async () => {
    // Prepare: the same invoice reached KSeF before (e.g. a batch whose outcome this system never learnt).
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    const xml = makeInvoiceXml({ number, issueDate: today(time) });
    const other = world.newGateway();
    const session = await other.openOnlineSession();
    const first = await other.sendInvoice(session.referenceNumber, { xml });
    await sim.settle();
    const original = await other.getInvoiceStatus(session.referenceNumber, first.invoiceReferenceNumber);
    await world.submit(xml);
    const { send, poll } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const polled = await poll.run(world.context());
    // Assess
    expect(polled.counters).toMatchObject({ duplicatesReconciled: 1, rejected: 0 });
    const [doc] = await world.all();
    expect(doc).toMatchObject({ status: 'Accepted', ksefNumber: original.ksefNumber, duplicateOf: { ksefNumber: original.ksefNumber, sessionReferenceNumber: session.referenceNumber } });
    expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('with nothing to do neither code unit makes a KSeF request', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const { poll, upo } = units(world);
    // Act
    const polled = await poll.run(world.context());
    const stored = await upo.run(world.context());
    // Assess
    expect(polled.counters).toEqual({ accepted: 0, rejected: 0, stillProcessing: 0, duplicatesReconciled: 0, returnedToPending: 0, sessionsSettled: 0 });
    expect(stored.counters).toEqual({ upoStored: 0, sessionUpoStored: 0 });
    expect(world.ksefRequests()).toEqual([]);
  });
});
