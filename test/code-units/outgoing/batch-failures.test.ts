import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKsefGateway } from '../../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { createProcessSessionsCodeUnit } from '../../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../../functions/code-units/send-documents/send-documents.js';
import type { OutgoingDocument } from '../../../functions/domain/documents.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';
import { failingRun, heldBySimulator, makeWorld, NIP, startSimulator, today, VirtualTime, type World } from './outgoing-harness.js';

const time = new VirtualTime();
let sim: KsefSimulator;
let prefix = 0;

beforeAll(async () => {
  // VirtualTime starts on a working-day morning: moving on by an hour keeps "today" today in Warsaw.
  sim = await startSimulator(time);
});

afterAll(async () => {
  await sim.close();
});

/** A backlog above the batch threshold of these tests (10); numbers unique across the file. */
async function submitBacklog(world: World, count = 12): Promise<string[]> {
  const p = ++prefix;
  const invoiceNumbers = Array.from({ length: count }, (_, i) => `BF/${p}/${i + 1}`);
  for (const number of invoiceNumbers) await world.submit(makeInvoiceXml({ number, issueDate: today(time) }));
  return invoiceNumbers;
}

function units(world: World, ksef: KsefGateway = world.ksef) {
  const deps = { documents: world.documents, store: world.store, sessions: world.sessions, ksef };
  return { send: createSendDocumentsCodeUnit({ ...deps, config: { batchThreshold: 10 } }), poll: createProcessSessionsCodeUnit(deps) };
}

const lastNote = (doc: OutgoingDocument | undefined) => doc?.history.at(-1)?.note ?? '';
const lastEvent = (doc: OutgoingDocument | undefined) => doc?.history.at(-1)?.event;

/** Batch sessions the simulator holds that were opened by the company, newest last. */
const simBatches = () => [...sim.state.sessions.values()].filter((s) => s.kind === 'Batch' && s.context.value === NIP);

describe('send-documents when a batch fails part-way', () => {
  it('a batch whose open response is lost goes back to Pending in the same run, and the next run gets every invoice its KSeF number, held once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    const { send, poll } = units(world);
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch$' } });
    const batchesBefore = simBatches().length;
    // Act
    const first = await failingRun(send.run(world.context()));
    const afterFirst = await world.all();
    const second = await send.run(world.context());
    await sim.settle();
    await poll.run(world.context());
    // Assess
    expect(first.counters).toMatchObject({ sent: 0, failed: 12, returnedToPending: 12, batches: 0 });
    expect(first.message).toContain('a batch of 12 invoice(s) did not reach KSeF');
    expect(afterFirst.every((d) => d.status === 'Pending')).toBe(true);
    expect(lastEvent(afterFirst[0])).toMatchObject({ kind: 'notSent' });
    expect(lastNote(afterFirst[0])).toContain('the answer to opening the batch session was lost');
    expect(second.counters).toMatchObject({ sent: 12, batches: 1, failed: 0 });
    const docs = await world.all();
    expect(docs.every((d) => d.status === 'Accepted' && d.ksefNumber !== null)).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path === '/sessions/batch')).toHaveLength(2);
    const [lost] = simBatches().slice(batchesBefore);
    expect(lost?.closedAt).toBeNull();
  });

  it('the session opened for a lost open response is never closed, and KSeF cancels it (440) once its upload window has passed', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    await submitBacklog(world);
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch$' } });
    const batchesBefore = simBatches().length;
    await failingRun(units(world).send.run(world.context()));
    const lost = simBatches()[batchesBefore];
    // Act
    const during = await world.ksef.getSessionState(lost?.referenceNumber ?? '');
    time.advance(21 * 60_000);
    const after = await world.ksef.getSessionState(lost?.referenceNumber ?? '');
    // Assess
    expect(during.status.code).toBe(100);
    expect(after.status).toMatchObject({ code: 440, details: ['Przekroczono czas wysyłki'] });
  });

  it('a lost close response leaves the documents Sending under the recorded reference; they end with KSeF numbers and are never sent twice', async () => {
    // Prepare: the close lands but its answer is lost, and so is every status read that could tell.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    const { send, poll } = units(world);
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/batch/[^/]+/close$' }, serverErrors: { count: 4, match: '^GET /sessions/[^/]+$' } });
    // Act
    const first = await send.run(world.context());
    const afterFirst = await world.all();
    const [record] = (await world.sessions.listUnfinished()).filter((r) => r.documentIds.includes(afterFirst[0]?.id ?? ''));
    sim.faults.clear();
    const again = await send.run(world.context());
    await sim.settle();
    const polled = await poll.run(world.context());
    const last = await send.run(world.context());
    // Assess
    expect(first.counters).toMatchObject({ sent: 0, failed: 12, returnedToPending: 0 });
    expect(afterFirst.every((d) => d.status === 'Sending')).toBe(true);
    expect(record).toMatchObject({ kind: 'Batch', referenceNumber: expect.stringContaining('-SB-'), closedAt: null, settled: false });
    expect(again.counters).toMatchObject({ sent: 0, returnedToPending: 0, batches: 0 });
    expect(polled.counters).toMatchObject({ accepted: 12 });
    expect(last.counters).toMatchObject({ sent: 0, batches: 0 });
    const docs = await world.all();
    expect(docs.every((d) => d.status === 'Accepted' && d.ksefNumber !== null && d.sessionReferenceNumber === record?.referenceNumber)).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
    expect(world.ksefRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/close'))).toHaveLength(1);
  });

  it('a part upload that keeps failing puts the documents back to Pending at once, naming the session KSeF will cancel; the next run sends each once', async () => {
    // Prepare: the storage behind the pre-signed URLs is unreachable for this run.
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    let storageDown = true;
    const failingUploads = new HttpKsefGateway({
      environment: { name: 'LOCAL', baseUrl: sim.url },
      nip: NIP,
      credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
      timer: time.timer,
      onWarning: () => undefined,
      fetchImpl: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (storageDown && url.pathname.startsWith('/_blob/batch/')) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) });
        return fetch(input, init);
      },
    });
    const batchesBefore = simBatches().length;
    const context = world.context();
    // Act
    const first = await failingRun(units(world, failingUploads).send.run(context));
    const afterFirst = await world.all();
    const record = await world.sessions.get(`batch-${context.runId}-1`);
    storageDown = false;
    const second = await units(world).send.run(world.context());
    await sim.settle();
    await units(world).poll.run(world.context());
    // Assess
    const abandoned = simBatches()[batchesBefore];
    expect(first.counters).toMatchObject({ sent: 0, failed: 12, returnedToPending: 12 });
    expect(afterFirst.every((d) => d.status === 'Pending')).toBe(true);
    expect(lastEvent(afterFirst[0])).toEqual({ kind: 'notSent', session: `batch-${context.runId}-1` });
    expect(lastNote(afterFirst[0])).toContain(`batch session ${abandoned?.referenceNumber} was opened but not closed`);
    expect(record).toMatchObject({ referenceNumber: abandoned?.referenceNumber, closedAt: null, settled: true });
    expect(abandoned?.closedAt).toBeNull();
    expect(second.counters).toMatchObject({ sent: 12, batches: 1 });
    expect((await world.all()).every((d) => d.status === 'Accepted')).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a batch KSeF refuses as a whole (415) goes back to Pending naming the session, whose record keeps the code; the next runs send it once', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    const invoiceNumbers = await submitBacklog(world);
    const { send, poll } = units(world);
    sim.faults.set({ failSessions: { count: 1, code: 415, description: 'Błąd odszyfrowania dostarczonego klucza' } });
    const context = world.context();
    // Act
    await send.run(context);
    await sim.settle();
    await poll.run(world.context());
    const refused = await world.all();
    const record = await world.sessions.get(`batch-${context.runId}-1`);
    await send.run(world.context());
    await sim.settle();
    await poll.run(world.context());
    // Assess
    expect(refused.every((d) => d.status === 'Pending' && d.ksefNumber === null)).toBe(true);
    expect(refused[0]?.history.map((h) => h.status)).toEqual(['Pending', 'Sending', 'Pending']);
    expect(lastEvent(refused[0])).toEqual({ kind: 'packageRefused', code: 415, description: 'Błąd odszyfrowania dostarczonego klucza', session: record?.referenceNumber });
    expect(record).toMatchObject({ settled: true, status: { code: 415, description: 'Błąd odszyfrowania dostarczonego klucza' } });
    expect((await world.all()).every((d) => d.status === 'Accepted' && d.ksefNumber !== null)).toBe(true);
    for (const number of invoiceNumbers) expect(heldBySimulator(sim, number)).toBe(1);
  });

  it('a batch KSeF refuses as a whole four times ends Rejected with its code, after three resends', async () => {
    // Prepare
    sim.faults.clear();
    const world = makeWorld(sim, time);
    await submitBacklog(world);
    const { send, poll } = units(world);
    sim.faults.set({ failSessions: { count: 4, code: 445, description: 'Błąd weryfikacji, brak poprawnych faktur' } });
    // Act
    for (let round = 0; round < 5; round++) {
      await send.run(world.context());
      await sim.settle();
      await poll.run(world.context());
    }
    const docs = await world.all();
    // Assess
    expect(docs.every((d) => d.status === 'Rejected' && d.ksefNumber === null)).toBe(true);
    expect(docs[0]?.rejection).toMatchObject({ code: 445, description: 'Błąd weryfikacji, brak poprawnych faktur' });
    expect(docs[0]?.rejection?.details.join(' ')).toContain('not retried any more');
    expect(docs[0]?.history.filter((h) => h.status === 'Sending')).toHaveLength(4);
    expect(docs[0]?.history.filter((h) => h.event.kind === 'packageRefused')).toHaveLength(3);
    expect(lastEvent(docs[0])).toMatchObject({ kind: 'resendsExhausted', code: 445, resends: 3, after: 'packageRefused' });
  });
});
