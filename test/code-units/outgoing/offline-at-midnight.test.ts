import { describe, expect, it } from 'vitest';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { heldBySimulator, makeWorld, NIP, startSimulator, VirtualTime, type World } from './outgoing-harness.js';

/*
 * KSeF marks an invoice offline when its issue day (P_1) is before the day it is invoiced: when KSeF
 * receives it (online) or when the batch session opened (batch). A run that starts just before
 * midnight in Warsaw must not send today's invoices after midnight without a decision.
 */

/** 23:59:30 on 10 June in Warsaw (summer time, UTC+2). */
const JUST_BEFORE_MIDNIGHT = '2026-06-10T21:59:30Z';
const ISSUE_DAY = '2026-06-10';

async function withWorld(test: (time: VirtualTime, sim: KsefSimulator, world: World) => Promise<void>): Promise<void> {
  const time = new VirtualTime(JUST_BEFORE_MIDNIGHT);
  const sim = await startSimulator(time);
  try {
    await test(time, sim, makeWorld(sim, time));
  } finally {
    await sim.close();
  }
}

function markedOffline(sim: KsefSimulator): string[] {
  return [...sim.state.invoicesByKsefNumber.values()].filter((i) => i.facts.sellerNip === NIP && i.invoicingMode === 'Offline').map((i) => i.facts.invoiceNumber);
}

describe('a send run that crosses midnight in Warsaw', () => {
  it('online: holds the invoices whose turn comes after midnight instead of letting KSeF mark them offline', async () => {
    await withWorld(async (time, sim, world) => {
      // Prepare: three of today's invoices; each send takes 40 s, so the 2nd one's turn comes at 00:00:10.
      const invoiceNumbers = ['MN/1', 'MN/2', 'MN/3'];
      for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: ISSUE_DAY }));
      const ksef = world.newGateway();
      const original = ksef.sendInvoice.bind(ksef);
      ksef.sendInvoice = async (ref, invoice, signal) => {
        const sent = await original(ref, invoice, signal);
        time.advance(40_000);
        return sent;
      };
      const send = createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef, config: { batchThreshold: 10 } });
      // Act
      const result = await send.run(world.context());
      await sim.settle();
      // Assess
      expect(result.counters).toMatchObject({ sent: 1, heldOffline: 2, failed: 0 });
      const byNumber = new Map((await world.all()).map((doc) => [doc.fields.invoiceNumber, doc]));
      expect(byNumber.get('MN/1')?.status).toBe('Sent');
      for (const number of ['MN/2', 'MN/3']) {
        expect(byNumber.get(number)).toMatchObject({ status: 'Held', heldReason: expect.stringContaining('2026-06-11') });
        expect(heldBySimulator(sim, number)).toBe(0);
      }
      expect(markedOffline(sim)).toEqual([]);
    });
  });

  it('batch: a session that opens after midnight gets no part and no close, and its invoices are Pending again, then held', async () => {
    await withWorld(async (time, sim, world) => {
      // Prepare: a backlog planned at 23:59:30 whose package takes 90 s to build.
      const invoiceNumbers = Array.from({ length: 12 }, (_, i) => `MB/${i + 1}`);
      for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: ISSUE_DAY }));
      const ksef = world.newGateway();
      const original = ksef.sendBatch.bind(ksef);
      ksef.sendBatch = (invoices, options, signal) => {
        time.advance(90_000);
        return original(invoices, options, signal);
      };
      const deps = { documents: world.documents, store: world.store, sessions: world.sessions, config: { batchThreshold: 10 } };
      // Act
      const crossing = await createSendDocumentsCodeUnit({ ...deps, ksef }).run(world.context());
      const afterCrossing = (await world.all()).map((doc) => doc.status);
      const next = await createSendDocumentsCodeUnit({ ...deps, ksef: world.newGateway() }).run(world.context());
      await sim.settle();
      // Assess
      expect(crossing.counters).toMatchObject({ batches: 0, sent: 0, returnedToPending: 12 });
      expect(afterCrossing).toEqual(invoiceNumbers.map(() => 'Pending'));
      expect(world.ksefRequests().filter((r) => r.method === 'POST' && /^\/sessions\/batch\/[^/]+\/close$/.test(r.path))).toEqual([]);
      expect(next.counters).toMatchObject({ heldOffline: 12, sessionsOpened: 0 });
      const held = (await world.all())[0]?.history.at(-1);
      expect(held).toMatchObject({ status: 'Held', event: { kind: 'heldOffline', reason: expect.stringContaining('before the send date 2026-06-11') } });
      for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(0);
      expect(markedOffline(sim)).toEqual([]);
    });
  });
});
