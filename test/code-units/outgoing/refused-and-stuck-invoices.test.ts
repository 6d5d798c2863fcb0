import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
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
  return Array.from({ length: count }, (_, i) => `RS/${p}/${i + 1}`);
}

function units(world: World) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
  return { send: createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 10 } }), poll: createProcessSessionsCodeUnit(deps) };
}

function invoicePosts(world: World): number {
  return world.ksefRequests().filter((r) => r.method === 'POST' && /^\/sessions\/online\/[^/]+\/invoices$/.test(r.path)).length;
}

describe('invoices refused on send and invoices KSeF keeps processing', () => {
  it.each([
    [21405, 'Błąd walidacji danych wejściowych.'],
    [21403, 'Nieprawidłowy skrót pliku.'],
    [21402, 'Nieprawidłowy rozmiar pliku.'],
  ] as const)('an invoice KSeF refuses with 400/%i on send ends Rejected with the code and reason, while the rest of the run is sent', async (code, description) => {
    // Prepare: three invoices in one online session; KSeF refuses the first one synchronously.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [refusedNumber = '', ...otherNumbers] = numbers(3);
    const refused = await world.submit(makeInvoiceXml({ number: refusedNumber, issueDate: today(time) }));
    for (const number of otherNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const { send, poll } = units(world);
    const why = `Pole 'invoiceHash' dla faktury ${refusedNumber} jest nieprawidłowe.`;
    sim.faults.set({ refuseInvoices: { count: 1, code, details: [why] } });
    // Act
    const sent = await send.run(world.context());
    await sim.settle();
    const polled = await poll.run(world.context());
    const sendAgain = await send.run(world.context());
    // Assess
    expect(sent.counters).toMatchObject({ sent: 2, failed: 1, sessionsOpened: 1 });
    expect(polled.counters).toMatchObject({ accepted: 2, rejected: 0, sessionsSettled: 1 });
    expect(sendAgain.counters).toMatchObject({ sent: 0, sessionsOpened: 0 });
    const doc = await world.documents.get(refused.id);
    expect(doc).toMatchObject({ status: 'Rejected', ksefNumber: null, rejection: { code, description, details: [why] } });
    expect(doc?.history.at(-1)).toMatchObject({ status: 'Rejected', by: 'send-documents', event: { kind: 'refusedOnSend', code, description } });
    const others = (await world.all()).filter((d) => d.id !== refused.id);
    expect(others.map((d) => d.status)).toEqual(['Accepted', 'Accepted']);
    expect(heldBySimulator(sim, refusedNumber)).toBe(0);
    for (const number of otherNumbers) expect(heldBySimulator(sim, number)).toBe(1);
    expect(invoicePosts(world)).toBe(3);
  });

  it('invoices stuck in 150 for three process-sessions polls stay Sent, are never resent, and end Accepted on the fourth', async () => {
    // Prepare: KSeF shows 150 for the next three status reads of each invoice, however much time passes.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(2);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    sim.faults.set({ stuckInvoices: { count: 2, polls: 3 } });
    const { send, poll } = units(world);
    await send.run(world.context());
    await sim.settle();
    // Act
    const stuck = [];
    const resends = [];
    for (let i = 0; i < 3; i++) {
      stuck.push((await poll.run(world.context())).counters);
      resends.push((await send.run(world.context())).counters);
      time.advance(10 * 60_000);
    }
    const statusesWhileStuck = (await world.all()).map((doc) => doc.status);
    const last = await poll.run(world.context());
    // Assess
    for (const counters of stuck) expect(counters).toMatchObject({ accepted: 0, rejected: 0, returnedToPending: 0, stillProcessing: 2, sessionsSettled: 0 });
    for (const counters of resends) expect(counters).toMatchObject({ sent: 0, sessionsOpened: 0 });
    expect(statusesWhileStuck).toEqual(['Sent', 'Sent']);
    expect(last.counters).toMatchObject({ accepted: 2, stillProcessing: 0, sessionsSettled: 1 });
    expect((await world.all()).map((doc) => doc.status)).toEqual(['Accepted', 'Accepted']);
    expect(invoicePosts(world)).toBe(2);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});
