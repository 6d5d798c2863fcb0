import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit, type SendDocumentsConfig } from '../../../functions/code-units/send-documents/send-documents.js';
import { releaseHeldByAdmin, type OutgoingDocument } from '../../../functions/domain/documents.js';
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

  it('a response lost after the send is reconciled by hash: the document is Sent and the simulator holds the invoice once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [number = ''] = numbers(1);
    await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/online/[^/]+/invoices$' } });
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 0, reconciled: 1, failed: 0 });
    expect((await world.all())[0]).toMatchObject({ status: 'Sent', invoiceReferenceNumber: expect.stringContaining('-EE-') });
    expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a run killed between the send and its record is completed by the next run without sending anything twice', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(4);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    let sentRecords = 0;
    const dying: DocumentRepository = {
      create: (d) => world.documents.create(d),
      get: (id) => world.documents.get(id),
      findByKey: (k) => world.documents.findByKey(k),
      list: (q) => world.documents.list(q),
      summarize: (s) => world.documents.summarize(s),
      update: async (next, version) => {
        if (next.status === 'Sent' && ++sentRecords === 2) throw new Error('the process died');
        return world.documents.update(next, version);
      },
    };
    // Act: the first run dies after KSeF took the 2nd invoice; the next one runs in a new container.
    const killed = sender(world, {}, dying).run(world.context());
    await expect(killed).rejects.toThrow('the process died');
    const statusesAfterKill = (await world.all()).map((d) => d.status);
    const next = createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.newGateway(), config: { batchThreshold: 10 } });
    const result = await next.run(world.context());
    await sim.settle();
    // Assess
    expect(statusesAfterKill).toEqual(['Sent', 'Sending', 'Pending', 'Pending']);
    expect(result.counters).toMatchObject({ reconciled: 1, sent: 2, returnedToPending: 0 });
    expect((await world.all()).map((d) => d.status)).toEqual(['Sent', 'Sent', 'Sent', 'Sent']);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a run aborted in the middle leaves its in-doubt document in Sending; the next run closes the session, finds it absent and sends it once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const controller = new AbortController();
    // The job timeout strikes as the 2nd invoice is about to go: its outcome is unknown to the run.
    let sends = 0;
    const ksef = world.newGateway();
    const original = ksef.sendInvoice.bind(ksef);
    ksef.sendInvoice = async (ref, invoice, signal) => {
      if (++sends === 2) {
        controller.abort(new Error('job timeout'));
        signal?.throwIfAborted();
      }
      return original(ref, invoice, signal);
    };
    // Act
    const aborted = await createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef, config: { batchThreshold: 10 } }).run(world.context({ signal: controller.signal }));
    const afterAbort = (await world.all()).map((d) => d.status);
    const next = await createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.newGateway(), config: { batchThreshold: 10 } }).run(world.context());
    await sim.settle();
    // Assess
    expect(aborted.counters).toMatchObject({ sent: 1, failed: 1 });
    expect(afterAbort).toEqual(['Sent', 'Sending', 'Pending']);
    expect(next.counters).toMatchObject({ returnedToPending: 1, sent: 2 });
    expect((await world.all()).map((d) => d.status)).toEqual(['Sent', 'Sent', 'Sent']);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('in a 429 storm the client waits Retry-After and every invoice is sent once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    sim.faults.set({ tooManyRequests: { count: 3, retryAfterSeconds: 2, match: '^POST /sessions/online/[^/]+/invoices$' } });
    const before = time.clock.now().getTime();
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 3, failed: 0 });
    expect(time.clock.now().getTime() - before).toBeGreaterThanOrEqual(6_000);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('when a Retry-After is longer than a run may wait the run stops sending, proves the invoice in doubt absent, and the next run sends the rest once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    // The 2nd send meets a 10-minute Retry-After: the client refuses to wait that long (its maxWaitMs).
    let posts = 0;
    const ksef = world.newGateway();
    const original = ksef.sendInvoice.bind(ksef);
    ksef.sendInvoice = (ref, invoice, signal) => {
      if (++posts === 2) sim.faults.set({ tooManyRequests: { count: 4, retryAfterSeconds: 600, match: '^POST /sessions/online/[^/]+/invoices$' } });
      return original(ref, invoice, signal);
    };
    // Act
    const stormy = await createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef, config: { batchThreshold: 10 } }).run(world.context());
    const afterStorm = (await world.all()).map((d) => d.status);
    sim.faults.clear();
    const next = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(stormy.counters).toMatchObject({ sent: 1, failed: 1, returnedToPending: 1 });
    expect(afterStorm).toEqual(['Sent', 'Pending', 'Pending']);
    expect(next.counters).toMatchObject({ sent: 2, returnedToPending: 0 });
    expect((await world.all()).map((d) => d.status)).toEqual(['Sent', 'Sent', 'Sent']);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('holds an invoice issued before today (KSeF would mark it offline) for an admin and sends the rest', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [late = '', current = ''] = numbers(2);
    await world.submit(makeInvoiceXml({ number: late, issueDate: '2026-01-15' }));
    await world.submit(makeInvoiceXml({ number: current, issueDate: today(time) }));
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 1, heldOffline: 1 });
    const held = (await world.all()).find((d) => d.fields.invoiceNumber === late);
    expect(held).toMatchObject({ status: 'Held', heldReason: expect.stringContaining('offline') });
    expect(heldBySimulator(sim, late)).toBe(0);
  });

  it('sends a held invoice an admin released as a normal invoice, instead of holding it again, and KSeF marks it offline', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [late = ''] = numbers(1);
    await world.submit(makeInvoiceXml({ number: late, issueDate: '2026-01-15' }));
    await sender(world).run(world.context());
    const held = (await world.all())[0] as OutgoingDocument;
    const at = time.clock.now().toISOString();
    await world.documents.update(releaseHeldByAdmin(held, { at, by: 'admin', offlineMode: false }), held.version);
    // Act
    const result = await sender(world).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 1, heldOffline: 0 });
    expect((await world.all())[0]).toMatchObject({ status: 'Sent', offlineMode: false });
    expect([...sim.state.invoicesByKsefNumber.values()].find((i) => i.facts.invoiceNumber === late)?.invoicingMode).toBe('Offline');
  });

  it('with the sendAsOffline policy sends such an invoice declared offline and records the flag', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [late = ''] = numbers(1);
    await world.submit(makeInvoiceXml({ number: late, issueDate: '2026-01-15' }));
    // Act
    const result = await sender(world, { offlinePolicy: 'sendAsOffline' }).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 1, heldOffline: 0 });
    expect((await world.all())[0]).toMatchObject({ status: 'Sent', offlineMode: true });
    expect([...sim.state.invoicesByKsefNumber.values()].find((i) => i.facts.invoiceNumber === late)?.invoicingMode).toBe('Offline');
  });

  it('with nothing to do it makes no KSeF request at all', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    // Act
    const result = await sender(world).run(world.context());
    // Assess
    expect(result.counters).toMatchObject({ sent: 0, sessionsOpened: 0 });
    expect(world.ksefRequests()).toEqual([]);
  });
});
