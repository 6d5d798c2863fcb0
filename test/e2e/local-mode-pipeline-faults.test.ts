import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { warsawDay } from '../../functions/domain/documents.js';
import { isValidKsefNumber } from '../../functions/domain/ksef-number.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { makeInvoiceBatch } from '../helpers/fa3-invoice-factory.js';
import { JobTimeoutSwitch } from './helpers/job-timeout-switch.js';
import { LocalPipeline, total, type RunRow } from './helpers/local-pipeline.js';

/*
 * The pipeline of local mode when KSeF and the process misbehave: a send run cut off half-way by
 * its job timeout and its process replaced, a lost response after a send, 5xx answers, a 429 storm,
 * invoices stuck at 150 for several polls, and local mode stopped and started again on the same
 * data directory in the middle of the pipeline. KSeF (the simulator) lives outside local mode here,
 * as the real one does, so it outlives the restarts. At the end every document has its KSeF number
 * and UPO, KSeF received and holds each invoice exactly once, and nothing is lost.
 */

const COMPANY_NIP = '5265877635';
const START = new Date('2026-11-25T09:00:20.000Z');
const SEND_PATH = '^POST /sessions/online/[^/]+/invoices$';

const clock = new ManualClock(START);
const jobTimeout = new JobTimeoutSwitch();
let dataDir: string;
let sim: KsefSimulator;
let pipeline: LocalPipeline;
const runs: RunRow[] = [];

/** How many invoices of the company KSeF has received, over every session (accepted or not). */
function receivedBySimulator(): number {
  let count = 0;
  for (const session of sim.state.sessions.values()) if (session.context.value === COMPANY_NIP) count += session.invoices.length;
  return count;
}

/** Every invoice KSeF received from the company, counted by hash. */
function receivedByHash(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const session of sim.state.sessions.values()) {
    if (session.context.value !== COMPANY_NIP) continue;
    for (const invoice of session.invoices) counts.set(invoice.invoiceHash, (counts.get(invoice.invoiceHash) ?? 0) + 1);
  }
  return counts;
}

async function statuses(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const doc of await pipeline.listAll('/documents')) counts[doc.status as string] = (counts[doc.status as string] ?? 0) + 1;
  return counts;
}

async function runNow(codeUnit: Parameters<LocalPipeline['runNow']>[0]): Promise<RunRow> {
  const row = await pipeline.runNow(codeUnit);
  runs.push({ ...row, codeUnit });
  await sim.settle();
  return row;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-e2e-faults-'));
  sim = await createKsefSimulator({ clock });
  const token = sim.registerKsefToken({ nip: COMPANY_NIP, description: 'e2e faults' });
  pipeline = await LocalPipeline.start(clock, {
    dataDir,
    companyNip: COMPANY_NIP,
    env: { KSEF_ENV: 'SIMULATOR', KSEF_BASE_URL: sim.url, KSEF_NIP: COMPANY_NIP, KSEF_TOKEN: token },
    runtimeOptions: { runOptions: { sleep: jobTimeout.sleep } },
  });
});

afterAll(async () => {
  await pipeline?.close();
  await sim?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the KSeF pipeline of local mode under faults, with KSeF outside local mode', () => {
  it('takes the 50 invoices of the company', async () => {
    // Prepare
    const invoices = makeInvoiceBatch(50, { sellerNip: COMPANY_NIP, prefix: 'FV/FAULT', issueDate: warsawDay(clock.now()) });
    // Act
    const replies = [];
    for (const xml of invoices) replies.push(await pipeline.call('POST', '/documents', { xml }));
    await pipeline.createQueues();
    // Assess
    expect(replies.map((reply) => reply.status)).toEqual(invoices.map(() => 201));
    expect(await statuses()).toEqual({ Pending: 50 });
  });

  it('a send run cut off half-way by its job timeout is recorded as an Error, and after its process is replaced nothing is lost', async () => {
    // Prepare: the job timeout strikes once KSeF has received 10 of the 50.
    jobTimeout.armOnce(() => receivedBySimulator() >= 10);
    // Act
    const killed = await runNow('send-documents');
    await pipeline.restart();
    const after = await statuses();
    // Assess
    expect(jobTimeout.struck).toBe(1);
    expect(killed).toMatchObject({ status: 'Error', errorMessage: expect.stringContaining('Timed out') });
    expect(receivedBySimulator()).toBeGreaterThanOrEqual(10);
    expect(receivedBySimulator()).toBeLessThan(50);
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(50);
    expect(after.Pending).toBeGreaterThan(0);
    expect((after.Sending ?? 0) + (after.Sent ?? 0)).toBeGreaterThanOrEqual(9);
  });

  it('the next send runs meet 503s, a 429 storm and lost responses, and leave every invoice sent exactly once', async () => {
    // Act: one fault after another, each on the invoice sends of a run of its own.
    // Three invoices in a row meet 503 (one POST each, reconciled after the close), so the run stops sending.
    sim.faults.set({ serverErrors: { count: 3, status: 503, match: SEND_PATH } });
    const afterServerErrors = await runNow('send-documents');
    const serverErrorsLeft = sim.faults.current.serverErrors;
    sim.faults.set({ tooManyRequests: { count: 4, retryAfterSeconds: 2, match: SEND_PATH } });
    const afterStorm = await runNow('send-documents');
    const stormLeft = sim.faults.current.tooManyRequests;
    // The next five invoices KSeF receives stay at 150 for ten minutes (checked by process-sessions below).
    sim.faults.set({ loseResponses: { count: 2, match: SEND_PATH }, stuckInvoices: { count: 5, ms: 10 * 60_000 } });
    const afterLosses = await runNow('send-documents');
    const lossesLeft = sim.faults.current.loseResponses;
    const rest: RunRow[] = [];
    for (let round = 0; round < 3 && ((await statuses()).Sent ?? 0) < 50; round++) rest.push(await runNow('send-documents'));
    // Assess
    // 5xx on an invoice send is not a refusal: the run records everything, then ends in Error for on-call.
    expect(afterServerErrors).toMatchObject({ status: 'Error', errorMessage: expect.stringContaining('503') });
    expect([afterStorm, afterLosses, ...rest].map((row) => row.status)).toEqual([afterStorm, afterLosses, ...rest].map(() => 'Success'));
    expect([serverErrorsLeft, stormLeft, lossesLeft]).toEqual([undefined, undefined, undefined]);
    expect(afterLosses.counters?.reconciled).toBeGreaterThanOrEqual(2);
    expect(await statuses()).toEqual({ Sent: 50 });
    expect([...receivedByHash().values()]).toEqual(Array.from({ length: 50 }, () => 1));
  });

  it('local mode stopped and started again in the middle of the pipeline carries on from its data directory', async () => {
    // Act
    await pipeline.restart();
    // Assess
    expect(await statuses()).toEqual({ Sent: 50 });
    const sendRuns = await pipeline.listAll('/queues/send-documents/runs');
    expect(sendRuns.filter((row) => row.status === 'Error')).toHaveLength(2);
  });

  it('invoices stuck at 150 for ten minutes and 5xx on the polls keep process-sessions polling across runs, never resending', async () => {
    // Prepare
    sim.faults.set({ serverErrors: { count: 3, status: 502, match: '^GET /sessions/' } });
    // Act: a poll every four minutes.
    const rows: RunRow[] = [];
    for (let round = 0; round < 6 && ((await statuses()).Sent ?? 0) > 0; round++) {
      rows.push(await runNow('process-sessions'));
      clock.set(new Date(clock.now().getTime() + 4 * 60_000));
    }
    // Assess
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]?.counters).toMatchObject({ stillProcessing: 5 });
    expect(sim.faults.current.serverErrors).toBeUndefined();
    expect(total(rows, 'accepted') + total(rows, 'duplicatesReconciled')).toBe(50);
    expect(total(rows, 'rejected')).toBe(0);
    expect(await statuses()).toEqual({ Accepted: 50 });
    expect([...receivedByHash().values()]).toEqual(Array.from({ length: 50 }, () => 1));
  });

  it('at the end every document has its KSeF number and UPO, KSeF holds each invoice exactly once, and nothing is lost', async () => {
    // Act
    const upo = await runNow('process-upo');
    const ledgers = await runNow('update-ledgers');
    const cards = await pipeline.documentCards();
    const ledger = await pipeline.listAll('/ledger');
    // Assess
    expect(upo).toMatchObject({ status: 'Success', counters: { upoStored: 50 } });
    expect(ledgers).toMatchObject({ status: 'Success', counters: { ledgerRows: 50, unknownInKsef: 0 } });
    expect(cards).toHaveLength(50);
    for (const card of cards) {
      expect(card, card.fields.invoiceNumber).toMatchObject({ status: 'Accepted', upoPresent: true, rejection: null });
      expect(isValidKsefNumber(card.ksefNumber as string), card.ksefNumber).toBe(true);
    }
    const held = new Map<string, number>();
    for (const invoice of sim.state.invoicesByKsefNumber.values()) {
      if (invoice.facts.sellerNip === COMPANY_NIP) held.set(invoice.invoiceHash, (held.get(invoice.invoiceHash) ?? 0) + 1);
    }
    expect(cards.map((card) => held.get(card.contentSha256 as string))).toEqual(cards.map(() => 1));
    expect(held.size).toBe(50);
    expect(new Set(cards.map((card) => sim.state.invoicesByKsefNumber.get(card.ksefNumber as string)?.invoiceHash))).toEqual(new Set(cards.map((card) => card.contentSha256)));
    expect(ledger.map((row) => row.ksefNumber).sort()).toEqual(cards.map((card) => card.ksefNumber).sort());
    expect(runs.filter((row) => row.status === 'Error').map((row) => row.codeUnit)).toEqual(['send-documents', 'send-documents']);
    for (const card of cards) {
      const upoReply = await pipeline.call('GET', `/documents/${encodeURIComponent(card.id as string)}/upo`);
      expect(upoReply.status).toBe(200);
      expect(upoReply.text).toContain(card.ksefNumber as string);
    }
  });
});
