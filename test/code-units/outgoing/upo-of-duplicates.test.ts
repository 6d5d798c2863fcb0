import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createProcessUpoCodeUnit } from '../../../functions/code-units/process-upo/process-upo.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import { documentBlobKeys } from '../../../functions/ports/document-store.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
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

function invoices(count: number): string[] {
  prefix++;
  return Array.from({ length: count }, (_, i) => makeInvoiceXml({ number: `DUP/${prefix}/${i + 1}`, issueDate: today(time) }));
}

/** Sends what this system holds, lets KSeF process it and records the outcomes. */
async function sendAndPoll(world: World): Promise<void> {
  const { send, poll } = units(world);
  await send.run(world.context());
  await sim.settle();
  await poll.run(world.context());
}

describe('the UPO of a document reconciled as a 440 duplicate', () => {
  it('a session KSeF ends 445 because every invoice was a duplicate still gets each document its UPO, from the original session', async () => {
    // Prepare: the same invoices reached KSeF before in another session (e.g. a batch whose outcome was lost).
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const xmls = invoices(2);
    const other = world.newGateway();
    const original = await other.openOnlineSession();
    for (const xml of xmls) await other.sendInvoice(original.referenceNumber, { xml });
    await sim.settle();
    for (const xml of xmls) await world.submit(xml);
    await sendAndPoll(world);
    const [session] = await world.sessions.listUnfinished();
    // Act
    const stored = await units(world).upo.run(world.context());
    // Assess
    expect(session).toMatchObject({ settled: true, status: { code: 445 } });
    expect(stored.counters).toMatchObject({ upoStored: 2 });
    for (const doc of await world.all()) {
      expect(doc).toMatchObject({ status: 'Accepted', duplicateOf: { sessionReferenceNumber: original.referenceNumber } });
      expect(doc.upoKey).toBe(documentBlobKeys.invoiceUpo(doc.ksefNumber ?? ''));
      expect(Buffer.from((await world.store.get(doc.upoKey ?? '')) ?? []).toString('utf8')).toContain(doc.ksefNumber);
    }
    expect(await world.sessions.listUnfinished()).toEqual([]);
  });

  it('a duplicate whose original session KSeF does not name gets no UPO, its history says why, and its session is done', async () => {
    // Prepare: the original is in KSeF, but the 440 names no session (as for an invoice KSeF took outside a session).
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const [xml = ''] = invoices(1);
    const original = await sim.seedIncomingInvoice({ xml });
    await world.submit(xml);
    await sendAndPoll(world);
    const { upo } = units(world);
    // Act
    const first = await upo.run(world.context());
    const requestsBefore = world.ksefRequests().length;
    const second = await upo.run(world.context());
    // Assess
    const [doc] = await world.all();
    expect(doc).toMatchObject({ status: 'Accepted', ksefNumber: original.ksefNumber, upoKey: null });
    expect(first.counters).toMatchObject({ upoStored: 0, upoUnavailable: 1 });
    expect(doc?.history.at(-1)).toMatchObject({ status: 'Accepted', by: 'process-upo', event: { kind: 'noUpo', reason: expect.stringContaining('session of the original') } });
    expect(await world.sessions.listUnfinished()).toEqual([]);
    expect(second.counters).toEqual({ upoStored: 0, sessionUpoStored: 0 });
    expect(world.ksefRequests().length).toBe(requestsBefore);
  });
});
