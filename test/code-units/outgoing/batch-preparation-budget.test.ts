import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { DocumentStore } from '../../../functions/ports/document-store.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { heldBySimulator, makeWorld, startSimulator, today, VirtualTime } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;

beforeAll(async () => {
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

describe('preparing a batch within the run budget', () => {
  it('a batch whose preparation outlasts the run budget sends what was prepared and leaves the rest Pending for the next run', async () => {
    // Prepare: 12 invoices; reading each XML takes 2 minutes of a 15-minute run (30 s safety margin),
    // so the time is up after the 8th.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = Array.from({ length: 12 }, (_, i) => `BB/${i + 1}`);
    for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
    const slowStore: DocumentStore = {
      put: (key, content) => world.store.put(key, content),
      get: async (key) => {
        time.advance(2 * 60_000);
        return world.store.get(key);
      },
    };
    const deps = { documents: world.documents, sessions: world.sessions, ksef: world.ksef, config: { batchThreshold: 10 } };
    // Act
    const slow = await createSendDocumentsCodeUnit({ ...deps, store: slowStore }).run(world.context());
    const afterSlow = (await world.all()).map((doc) => doc.status);
    const next = await createSendDocumentsCodeUnit({ ...deps, store: world.store, config: { batchThreshold: 3 } }).run(world.context());
    await sim.settle();
    const polled = await createProcessSessionsCodeUnit({ documents: world.documents, sessions: world.sessions, ksef: world.ksef }).run(world.context());
    // Assess
    expect(slow.counters).toMatchObject({ batches: 1, sent: 8, failed: 0 });
    expect(afterSlow).toEqual([...Array.from({ length: 8 }, () => 'Sending'), ...Array.from({ length: 4 }, () => 'Pending')]);
    expect(next.counters).toMatchObject({ batches: 1, sent: 4 });
    expect(polled.counters).toMatchObject({ accepted: 12, rejected: 0 });
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });
});
