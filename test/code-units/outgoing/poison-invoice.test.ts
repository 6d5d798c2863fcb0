import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import { MAX_RETURNS_AFTER_FAILED_SEND } from '../../../functions/domain/documents.js';
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
  return Array.from({ length: count }, (_, i) => `PI/${p}/${i + 1}`);
}

const INVOICE_POST = '^POST /sessions/online/[^/]+/invoices$';

/** A sender whose KSeF answers 503 to every POST of the invoice numbered `poison`, and only to it. */
function poisonedSender(world: World, poison: string) {
  const ksef = world.newGateway();
  const original = ksef.sendInvoice.bind(ksef);
  ksef.sendInvoice = async (ref, invoice, signal) => {
    const poisoned = Buffer.from(invoice.xml).toString('utf8').includes(`<P_2>${poison}</P_2>`);
    if (poisoned) sim.faults.set({ serverErrors: { count: 100, status: 503, match: INVOICE_POST } });
    try {
      return await original(ref, invoice, signal);
    } finally {
      if (poisoned) sim.faults.set({ serverErrors: { count: 0 } });
    }
  };
  return createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef, config: { batchThreshold: 10 } });
}

describe('an invoice KSeF never takes (5xx every time)', () => {
  it('does not stop the others, fails the run with its reason, and after a bounded number of returns to Pending is Held for an admin', async () => {
    // Prepare: the oldest pending invoice gets a 503 on every send; two others are behind it.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [poison = '', ...others] = numbers(3);
    const [late = ''] = numbers(1);
    const poisonDoc = await world.submit(makeInvoiceXml({ number: poison, issueDate: today(time) }));
    for (const number of others) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const send = poisonedSender(world, poison);
    // Act: as many runs as the bound allows returns, then one more that holds it, then one with nothing to do.
    const failedRuns: unknown[] = [];
    for (let run = 0; run <= MAX_RETURNS_AFTER_FAILED_SEND; run++) {
      if (run === MAX_RETURNS_AFTER_FAILED_SEND) await world.submit(makeInvoiceXml({ number: late, issueDate: today(time) }));
      failedRuns.push(await send.run(world.context()).then(() => 'succeeded', (error: unknown) => error));
      time.advance(60_000);
    }
    const quiet = await send.run(world.context());
    await sim.settle();
    // Assess
    for (const error of failedRuns) expect(error).toMatchObject({ name: 'SendFailuresError', message: expect.stringContaining(poison) });
    expect(String((failedRuns[0] as Error).message)).toContain('503');
    const held = await world.documents.get(poisonDoc.id);
    expect(held).toMatchObject({ status: 'Held', heldReason: expect.stringContaining('503'), sessionReferenceNumber: null });
    const returns = held?.history.filter((h) => h.status === 'Pending' && h.by === 'send-documents') ?? [];
    expect(returns).toHaveLength(MAX_RETURNS_AFTER_FAILED_SEND);
    for (const entry of returns) expect(entry.event).toMatchObject({ kind: 'sendFailed', reason: expect.stringContaining('503'), session: expect.any(String) });
    expect(held?.history.at(-1)?.event).toMatchObject({ kind: 'heldAfterFailedSends', failures: MAX_RETURNS_AFTER_FAILED_SEND + 1 });
    expect(held?.history).toHaveLength(1 + 2 * MAX_RETURNS_AFTER_FAILED_SEND + 2);
    expect(quiet.counters).toMatchObject({ sent: 0, failed: 0, sessionsOpened: 0 });
    const rest = (await world.all()).filter((d) => d.id !== poisonDoc.id);
    expect(rest.map((d) => d.status)).toEqual(['Sent', 'Sent', 'Sent']);
    expect(heldBySimulator(sim, poison)).toBe(0);
    for (const number of [...others, late]) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a lost response that KSeF did take is reconciled after the close and does not fail the run', async () => {
    // Prepare: the response to the first invoice's POST is lost, the invoice is in KSeF.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(2);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    sim.faults.set({ loseResponses: { count: 1, match: INVOICE_POST } });
    // Act
    const result = await createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef, config: { batchThreshold: 10 } }).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 1, reconciled: 1, returnedToPending: 0, heldAfterFailures: 0 });
    expect((await world.all()).map((d) => d.status)).toEqual(['Sent', 'Sent']);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});
