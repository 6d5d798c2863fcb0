import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit, type SendDocumentsConfig } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { DocumentRepository } from '../../../functions/ports/document-repository.js';
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

/** Invoice numbers unique across the file: the simulator's duplicate check is global, as KSeF's. */
function numbers(count: number): string[] {
  const p = ++prefix;
  return Array.from({ length: count }, (_, i) => `SD/${p}/${i + 1}`);
}

function sender(world: World, config: Partial<SendDocumentsConfig> = {}, documents: DocumentRepository = world.documents) {
  return createSendDocumentsCodeUnit({ documents, store: world.store, sessions: world.sessions, ksef: world.ksef, config: { batchThreshold: 10, ...config } });
}

describe('send-documents against the KSeF simulator', () => {
  it('sends a few pending invoices through one online session, records their references and closes the session', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 3, reconciled: 0, failed: 0, sessionsOpened: 1, batches: 0, heldOffline: 0 });
    const docs = await world.all();
    expect(docs.map((d) => d.status)).toEqual(['Sent', 'Sent', 'Sent']);
    expect(docs.every((d) => d.invoiceReferenceNumber?.includes('-EE-') && d.sessionReferenceNumber?.includes('-SO-'))).toBe(true);
    expect(docs[0]?.history.map((h) => h.status)).toEqual(['Pending', 'Sending', 'Sent']);
    const [session] = await world.sessions.listUnfinished();
    expect(session).toMatchObject({ kind: 'Online', closedAt: expect.any(String) });
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/close'))).toHaveLength(1);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('sends a backlog at or above the threshold as one batch session: two rate-limited requests instead of one per invoice', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(12);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    const polled = await createProcessSessionsCodeUnit({ documents: world.documents, sessions: world.sessions, ksef: world.ksef }).run(world.context());
    // Assess
    expect(result.counters).toMatchObject({ sent: 12, batches: 1, sessionsOpened: 1, failed: 0 });
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path.startsWith('/sessions/online'))).toHaveLength(0);
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path.startsWith('/sessions/batch'))).toHaveLength(2);
    expect(polled.counters).toMatchObject({ accepted: 12, rejected: 0, stillProcessing: 0 });
    const docs = await world.all();
    expect(docs.every((d) => d.status === 'Accepted' && d.ksefNumber !== null && d.sessionReferenceNumber?.includes('-SB-'))).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('sends a correcting invoice only in a run after its original has a KSeF number', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [original = '', correction = ''] = numbers(2);
    await world.submit(makeInvoiceXml({ number: original, issueDate: today(time) }));
    await world.submit(makeInvoiceXml({ number: correction, issueDate: today(time), corrects: { invoiceNumber: original, issueDate: today(time) } }));
    const send = sender(world);
    const poll = createProcessSessionsCodeUnit({ documents: world.documents, sessions: world.sessions, ksef: world.ksef });
    // Act
    const first = await send.run(world.context());
    await sim.settle();
    await poll.run(world.context());
    const second = await send.run(world.context());
    await sim.settle();
    await poll.run(world.context());
    // Assess
    expect(first.counters).toMatchObject({ sent: 1, waitingForOriginal: 1 });
    expect(second.counters).toMatchObject({ sent: 1, waitingForOriginal: 0 });
    const docs = await world.all();
    const byNumber = new Map(docs.map((d) => [d.fields.invoiceNumber, d]));
    expect(byNumber.get(original)?.status).toBe('Accepted');
    expect(byNumber.get(correction)?.status).toBe('Accepted');
    expect(byNumber.get(correction)?.history.find((h) => h.status === 'Sending')?.at).toBeDefined();
    expect(heldBySimulator(sim, correction)).toBe(1);
  });
});
