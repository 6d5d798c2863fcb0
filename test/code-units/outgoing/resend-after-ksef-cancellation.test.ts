import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import { MAX_RESENDS_AFTER_KSEF_CANCELLATION, type OutgoingDocument } from '../../../functions/domain/documents.js';
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
  return Array.from({ length: count }, (_, i) => `RC/${p}/${i + 1}`);
}

function units(world: World) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
  return { send: createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 10 } }), poll: createProcessSessionsCodeUnit(deps) };
}

/** One send-documents run and one process-sessions run, with the simulator done in between. */
async function sendAndPoll(world: World, { send, poll }: ReturnType<typeof units>) {
  const sent = await send.run(world.context());
  await sim.settle();
  const polled = await poll.run(world.context());
  return { sent: sent.counters, polled: polled.counters };
}

function invoicePosts(world: World): number {
  return world.ksefRequests().filter((r) => r.method === 'POST' && /^\/sessions\/online\/[^/]+\/invoices$/.test(r.path)).length;
}

function lastEntry(doc: OutgoingDocument | undefined) {
  return doc?.history.at(-1);
}

describe('invoices KSeF cancels with "retry" (405, 550) are sent again', () => {
  it.each([
    [550, 'Operacja została anulowana przez system'],
    [405, 'Przetwarzanie anulowane z powodu błędu sesji'],
  ] as const)('an invoice that KSeF cancels with %i goes back to Pending, is sent again and ends Accepted with one KSeF number', async (code, description) => {
    // Prepare: two invoices in one online session; KSeF cancels the first one it processes.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [cancelledNumber = '', otherNumber = ''] = numbers(2);
    const cancelled = await world.submit(makeInvoiceXml({ number: cancelledNumber, issueDate: today(time) }));
    await world.submit(makeInvoiceXml({ number: otherNumber, issueDate: today(time) }));
    const codeUnits = units(world);
    sim.faults.set({ cancelInvoices: { count: 1, code } });
    // Act
    const first = await sendAndPoll(world, codeUnits);
    const afterFirst = await world.documents.get(cancelled.id);
    const second = await sendAndPoll(world, codeUnits);
    // Assess
    expect(first.sent).toMatchObject({ sent: 2 });
    expect(first.polled).toMatchObject({ accepted: 1, returnedToPending: 1, rejected: 0, sessionsSettled: 1 });
    expect(afterFirst).toMatchObject({ status: 'Pending', ksefNumber: null, sessionReferenceNumber: null, invoiceReferenceNumber: null, rejection: null });
    expect(lastEntry(afterFirst)).toMatchObject({ status: 'Pending', event: { kind: 'ksefCancelled', code, description, session: expect.any(String) } });
    expect(second.sent).toMatchObject({ sent: 1, sessionsOpened: 1 });
    expect(second.polled).toMatchObject({ accepted: 1, returnedToPending: 0, rejected: 0 });
    const docs = await world.all();
    expect(docs.map((doc) => doc.status)).toEqual(['Accepted', 'Accepted']);
    const resent = docs.find((doc) => doc.id === cancelled.id);
    expect(resent).toMatchObject({ ksefNumber: expect.stringMatching(/^5265877635-/), duplicateOf: null });
    const other = docs.find((doc) => doc.id !== cancelled.id);
    expect(resent?.sessionReferenceNumber).toEqual(expect.any(String));
    expect(resent?.sessionReferenceNumber).not.toBe(other?.sessionReferenceNumber);
    expect(invoicePosts(world)).toBe(3);
    expect(heldBySimulator(sim, cancelledNumber)).toBe(1);
    expect(heldBySimulator(sim, otherNumber)).toBe(1);
  });

  it('a batch invoice that KSeF cancels is sent again in a later run and KSeF holds every invoice of the batch once', async () => {
    // Prepare: twelve invoices (over the batch threshold of ten); KSeF cancels two of them.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(12);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const codeUnits = units(world);
    sim.faults.set({ cancelInvoices: { count: 2, code: 550 } });
    // Act
    const first = await sendAndPoll(world, codeUnits);
    const second = await sendAndPoll(world, codeUnits);
    // Assess
    expect(first.polled).toMatchObject({ accepted: 10, returnedToPending: 2, rejected: 0 });
    expect(second.sent).toMatchObject({ sent: 2 });
    expect(second.polled).toMatchObject({ accepted: 2, returnedToPending: 0 });
    const docs = await world.all();
    expect(docs.filter((doc) => doc.status === 'Accepted' && doc.ksefNumber !== null)).toHaveLength(12);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it(`an invoice KSeF cancels more than ${MAX_RESENDS_AFTER_KSEF_CANCELLATION} times ends Rejected with a reason that says how often it was retried`, async () => {
    // Prepare: KSeF cancels the invoice on the first send and on every resend.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    const doc = await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const codeUnits = units(world);
    sim.faults.set({ cancelInvoices: { count: MAX_RESENDS_AFTER_KSEF_CANCELLATION + 1 } });
    // Act
    const rounds = [];
    for (let i = 0; i <= MAX_RESENDS_AFTER_KSEF_CANCELLATION; i++) rounds.push(await sendAndPoll(world, codeUnits));
    const afterLimit = await sendAndPoll(world, codeUnits);
    // Assess
    expect(rounds.map((round) => round.polled.returnedToPending)).toEqual([...Array.from({ length: MAX_RESENDS_AFTER_KSEF_CANCELLATION }, () => 1), 0]);
    expect(rounds.at(-1)?.polled).toMatchObject({ rejected: 1 });
    expect(afterLimit.sent).toMatchObject({ sent: 0, sessionsOpened: 0 });
    const rejected = await world.documents.get(doc.id);
    expect(rejected).toMatchObject({ status: 'Rejected', ksefNumber: null, rejection: { code: 550, description: 'Operacja została anulowana przez system' } });
    const reason = `KSeF cancelled this invoice ${MAX_RESENDS_AFTER_KSEF_CANCELLATION + 1} times (last: 550 Operacja została anulowana przez system); it was sent again ${MAX_RESENDS_AFTER_KSEF_CANCELLATION} times and is not retried any more`;
    expect(rejected?.rejection?.details).toContain(reason);
    expect(lastEntry(rejected)).toMatchObject({ status: 'Rejected', event: { kind: 'resendsExhausted', code: 550, resends: MAX_RESENDS_AFTER_KSEF_CANCELLATION, after: 'ksefCancelled' }, note: reason });
    expect(invoicePosts(world)).toBe(MAX_RESENDS_AFTER_KSEF_CANCELLATION + 1);
    expect(heldBySimulator(sim, number)).toBe(0);
  });

  it('the resend limit is an option of process-sessions: with none, the first cancellation is a rejection', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    const doc = await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
    const codeUnits = { send: createSendDocumentsCodeUnit(deps), poll: createProcessSessionsCodeUnit({ ...deps, config: { maxResendsAfterCancellation: 0 } }) };
    sim.faults.set({ cancelInvoices: { count: 1, code: 405 } });
    // Act
    const round = await sendAndPoll(world, codeUnits);
    // Assess
    expect(round.polled).toMatchObject({ rejected: 1, returnedToPending: 0 });
    expect(await world.documents.get(doc.id)).toMatchObject({ status: 'Rejected', rejection: { code: 405 } });
  });
});
