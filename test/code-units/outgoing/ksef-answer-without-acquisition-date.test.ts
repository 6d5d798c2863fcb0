import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { overriding } from './gateway-override.js';
import { makeWorld, startSimulator, today, VirtualTime } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;

beforeAll(async () => {
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

/** The same gateway, but its session invoice lists say 200 with a KSeF number and no acquisitionDate while `hide` is true. */
function withoutAcquisitionDates(ksef: KsefGateway, hide: () => boolean): KsefGateway {
  return overriding(ksef, {
    listSessionInvoices: async (...args) => {
      const invoices = await ksef.listSessionInvoices(...args);
      return hide() ? invoices.map((invoice) => ({ ...invoice, acquisitionDate: null })) : invoices;
    },
  });
}

describe('process-sessions and an accepted invoice without its acquisition date', () => {
  it('an invoice KSeF reports 200 without an acquisition date stays Sent and is recorded with the date KSeF gives on a later run', async () => {
    // Prepare
    const world = makeWorld(sim, time);
    await world.submit(makeInvoiceXml({ number: 'ACQ/1', issueDate: today(time) }));
    await createSendDocumentsCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef }).run(world.context());
    await sim.settle();
    let hidden = true;
    const poll = createProcessSessionsCodeUnit({ documents: world.documents, sessions: world.sessions, ksef: withoutAcquisitionDates(world.ksef, () => hidden) });
    // Act
    const first = await poll.run(world.context());
    const [afterFirst] = await world.all();
    hidden = false;
    time.advance(60_000);
    const second = await poll.run(world.context());
    const [afterSecond] = await world.all();
    // Assess
    expect(first.counters).toMatchObject({ accepted: 0, stillProcessing: 1, sessionsSettled: 0 });
    expect(afterFirst).toMatchObject({ status: 'Sent', ksefNumber: null, acquisitionDate: null });
    expect(second.counters).toMatchObject({ accepted: 1, stillProcessing: 0, sessionsSettled: 1 });
    const ksefSide = await world.ksef.getInvoiceStatus(afterSecond?.sessionReferenceNumber ?? '', afterSecond?.invoiceReferenceNumber ?? '');
    expect(afterSecond).toMatchObject({ status: 'Accepted', ksefNumber: ksefSide.ksefNumber, acquisitionDate: ksefSide.acquisitionDate });
    expect(afterSecond?.acquisitionDate).not.toBe(time.clock.now().toISOString());
  });
});
