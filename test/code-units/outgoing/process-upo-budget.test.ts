import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createProcessUpoCodeUnit } from '../../../functions/code-units/process-upo/process-upo.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { overriding } from './gateway-override.js';
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

/** Five invoices accepted in one online session, waiting for their UPOs. */
async function acceptedSessionOfFive(world: World): Promise<void> {
  prefix++;
  for (let i = 1; i <= 5; i++) await world.submit(makeInvoiceXml({ number: `UPO/${prefix}/${i}`, issueDate: today(time) }));
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef: world.ksef };
  await createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 100 } }).run(world.context());
  await sim.settle();
  await createProcessSessionsCodeUnit(deps).run(world.context());
}

function upoUnit(world: World, ksef: KsefGateway = world.ksef) {
  return createProcessUpoCodeUnit({ documents: world.documents, store: world.store, sessions: world.sessions, ksef, config: { safetyMarginMs: 30_000 } });
}

async function withUpo(world: World): Promise<boolean[]> {
  return (await world.all()).map((doc) => doc.upoKey !== null);
}

describe('process-upo within its time and KSeF rate limits', () => {
  it('when KSeF rate-limits the UPO downloads in the middle of a session the run ends in Success with the rest postponed, and the next run stores them', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    await acceptedSessionOfFive(world);
    const third = (await world.all())[2]?.invoiceReferenceNumber ?? '?';
    sim.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 3_600, match: `^GET /sessions/[^/]+/invoices/${third}/upo$` } });
    const upo = upoUnit(world);
    // Act
    const first = await upo.run(world.context());
    const afterFirst = await withUpo(world);
    time.advance(3_600_000 + 1_000);
    const second = await upo.run(world.context());
    // Assess
    expect(first.counters).toEqual({ upoStored: 2, sessionUpoStored: 0, upoPostponed: 3 });
    expect(afterFirst).toEqual([true, true, false, false, false]);
    expect(second.counters).toEqual({ upoStored: 3, sessionUpoStored: 1 });
    expect(await withUpo(world)).toEqual([true, true, true, true, true]);
    expect(await world.sessions.listUnfinished()).toEqual([]);
  });

  it('a run whose time runs out inside a session stops downloading UPOs, ends in Success with the rest postponed, and the next run stores them', async () => {
    // Prepare: KSeF takes a minute for each UPO; the run may work for 150 s before its safety margin.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    await acceptedSessionOfFive(world);
    const slow = overriding(world.ksef, {
      downloadInvoiceUpo: async (...args) => {
        time.advance(60_000);
        return world.ksef.downloadInvoiceUpo(...args);
      },
    });
    const upo = upoUnit(world, slow);
    // Act
    const first = await upo.run(world.context({ deadline: new Date(time.clock.now().getTime() + 30_000 + 150_000) }));
    const afterFirst = await withUpo(world);
    const second = await upo.run(world.context());
    // Assess
    expect(first.counters).toEqual({ upoStored: 3, sessionUpoStored: 0, upoPostponed: 2 });
    expect(afterFirst).toEqual([true, true, true, false, false]);
    expect(second.counters).toEqual({ upoStored: 2, sessionUpoStored: 1 });
    expect(await world.sessions.listUnfinished()).toEqual([]);
  });
});
