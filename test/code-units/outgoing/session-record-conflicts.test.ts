import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { DocumentRepository } from '../../../functions/ports/document-repository.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import type { OutgoingDocument } from '../../../functions/domain/documents.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { heldBySimulator, makeWorld, startSimulator, today, VirtualTime, type World } from './outgoing-harness.js';

/*
 * process-sessions rewrites every unsettled session record on each poll, open online sessions
 * included. A send run that writes the same record (to record the close) must not fail for that;
 * nor when another writer writes one of its documents while it sends (every document write of a
 * send run is conditional and leaves a document someone else moved to that writer).
 */

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
  return Array.from({ length: count }, (_, i) => `SC/${p}/${i + 1}`);
}

function sender(world: World, ksef: KsefGateway, documents: DocumentRepository = world.documents) {
  return createSendDocumentsCodeUnit({ documents, store: world.store, sessions: world.sessions, ksef, config: { batchThreshold: 10 } });
}

function poller(world: World) {
  return createProcessSessionsCodeUnit({ documents: world.documents, sessions: world.sessions, ksef: world.newGateway() });
}

describe('session records written by send-documents and process-sessions at once', () => {
  it('a process-sessions run in the middle of an online send does not make the send run fail when it records the close', async () => {
    // Prepare: process-sessions polls the open session just before the 2nd invoice goes out.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const ksef = world.newGateway();
    const original = ksef.sendInvoice.bind(ksef);
    let sends = 0;
    let versionAfterPoll = 0;
    ksef.sendInvoice = async (ref, invoice, signal) => {
      if (++sends === 2) {
        await sim.settle();
        await poller(world).run(world.context());
        versionAfterPoll = (await world.sessions.get(ref))?.version ?? 0;
      }
      return original(ref, invoice, signal);
    };
    // Act
    const result = await sender(world, ksef).run(world.context());
    await sim.settle();
    // Assess
    expect(versionAfterPoll).toBeGreaterThan(1);
    expect(result.counters).toMatchObject({ sent: 3, failed: 0, sessionsOpened: 1 });
    const [session] = await world.sessions.listUnfinished();
    expect(session).toMatchObject({ kind: 'Online', closedAt: expect.any(String) });
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a process-sessions run while recovery closes an open session left by a dead run does not make the recovery fail', async () => {
    // Prepare: a run dies after KSeF took the 2nd invoice, leaving it in Sending and its session open.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(3);
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
    await expect(sender(world, world.newGateway(), dying).run(world.context())).rejects.toThrow('the process died');
    // The next run's recovery meets a process-sessions poll just before it closes that session.
    const ksef = world.newGateway();
    const close = ksef.closeOnlineSession.bind(ksef);
    let polled = false;
    ksef.closeOnlineSession = async (ref, signal) => {
      if (!polled) {
        polled = true;
        await sim.settle();
        await poller(world).run(world.context());
      }
      return close(ref, signal);
    };
    // Act
    const result = await sender(world, ksef).run(world.context());
    await sim.settle();
    // Assess
    expect(polled).toBe(true);
    expect(result.counters).toMatchObject({ reconciled: 1, sent: 1 });
    const sessions = await world.sessions.listUnfinished();
    expect(sessions.filter((s) => s.kind === 'Online' && s.closedAt === null)).toEqual([]);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});

describe('documents written by another writer while send-documents sends them', () => {
  /** Another writer rewrites the document (a new version, nothing else changed), as any conditional write would. */
  async function rewrite(world: World, id: string): Promise<OutgoingDocument> {
    const doc = (await world.documents.get(id)) as OutgoingDocument;
    return world.documents.update(doc, doc.version);
  }

  /** A fresh world with `count` invoices of today submitted, and a gateway of its own to tamper with. */
  async function worldWith(count: number) {
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = numbers(count);
    const docs: OutgoingDocument[] = [];
    for (const number of invoiceNumbers) docs.push(await world.submit(makeInvoiceXml({ number, issueDate: today(time) })));
    return { world, invoiceNumbers, docs, ksef: world.newGateway() };
  }

  it('a document rewritten while KSeF receives it online does not fail the run; the next run records it Sent from the session by hash', async () => {
    // Prepare: the 2nd document gets a new version while its invoice is being sent.
    const { world, invoiceNumbers, docs, ksef } = await worldWith(3);
    const original = ksef.sendInvoice.bind(ksef);
    let sends = 0;
    ksef.sendInvoice = async (ref, invoice, signal) => {
      if (++sends === 2) await rewrite(world, docs[1]?.id as string);
      return original(ref, invoice, signal);
    };
    // Act
    const result = await sender(world, ksef).run(world.context());
    const raced = await world.documents.get(docs[1]?.id as string);
    const next = await sender(world, world.newGateway()).run(world.context());
    await sim.settle();
    // Assess
    expect(result.counters).toMatchObject({ sent: 3, failed: 0, sessionsOpened: 1 });
    expect(raced).toMatchObject({ status: 'Sending' });
    expect(next.counters).toMatchObject({ reconciled: 1, sent: 0 });
    expect((await world.all()).map((doc) => doc.status)).toEqual(['Sent', 'Sent', 'Sent']);
    expect((await world.documents.get(docs[1]?.id as string))?.history.at(-1)?.event).toMatchObject({ kind: 'sent', foundByHash: true });
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('documents and the session record rewritten while a batch is uploaded do not fail the run', async () => {
    // Prepare: once KSeF has named the batch session, process-sessions polls it and two of its documents are rewritten.
    const { world, invoiceNumbers, docs, ksef } = await worldWith(12);
    const original = ksef.sendBatch.bind(ksef);
    let sessionVersionAfterPoll = 0;
    ksef.sendBatch = (invoices, options, signal) =>
      original(
        invoices,
        {
          ...options,
          onOpened: async (ref, opened) => {
            await options?.onOpened?.(ref, opened);
            await poller(world).run(world.context());
            sessionVersionAfterPoll = (await world.sessions.listUnfinished()).find((s) => s.referenceNumber === ref)?.version ?? 0;
            await rewrite(world, docs[0]?.id as string);
            await rewrite(world, docs[11]?.id as string);
          },
        },
        signal,
      );
    // Act
    const result = await sender(world, ksef).run(world.context());
    await sim.settle();
    await poller(world).run(world.context());
    // Assess
    expect(sessionVersionAfterPoll).toBeGreaterThan(2);
    expect(result.counters).toMatchObject({ batches: 1, sent: 12, failed: 0 });
    expect((await world.all()).every((doc) => doc.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});
