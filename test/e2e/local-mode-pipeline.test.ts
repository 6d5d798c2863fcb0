import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { warsawDay } from '../../functions/domain/documents.js';
import { isValidKsefNumber } from '../../functions/domain/ksef-number.js';
import { makeInvalidInvoiceXmls, makeInvoiceBatch, makeNip } from '../helpers/fa3-invoice-factory.js';
import { LocalPipeline, total, type RunRow } from './helpers/local-pipeline.js';

/*
 * The KSeF pipeline of local mode end to end, as an admin drives it through HTTP: 50 invoices
 * submitted, 3 refused at the door, the five queues run against the KSeF simulator that local mode
 * talks to, and every invoice comes back with its KSeF number and UPO; purchase invoices that
 * suppliers sent to KSeF arrive as incoming documents, once.
 */

const START = new Date('2026-11-25T09:00:20.000Z');
const SUPPLIER_NIP = makeNip(4242);

const clock = new ManualClock(START);
const validator = new XmllintXsdValidator();
let pipeline: LocalPipeline;
let outgoingRuns: Record<string, RunRow[]>;
const stored = new Map<string, string>();

beforeAll(async () => {
  pipeline = await LocalPipeline.start(clock);
});

afterAll(async () => {
  await pipeline?.close();
  await validator.close();
});

describe('the KSeF pipeline of local mode, through HTTP against the simulator', () => {
  it('refuses the 3 invalid invoices at submission with every reason and stores none of them', async () => {
    // Prepare
    const invalid = makeInvalidInvoiceXmls({ sellerNip: pipeline.companyNip });
    // Act
    const replies = [];
    for (const { xml } of invalid) replies.push(await pipeline.call('POST', '/documents', { xml }));
    // Assess
    for (const [i, reply] of replies.entries()) {
      expect(reply.status, invalid[i]?.name).toBe(400);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body?.schemaErrors, invalid[i]?.name).toHaveLength(invalid[i]?.errorCount ?? -1);
      for (const issue of reply.body?.schemaErrors as Array<Record<string, unknown>>) expect(issue.message).toEqual(expect.any(String));
    }
    expect(await pipeline.listAll('/documents')).toEqual([]);
  });

  it('stores the 50 valid invoices of the company (201 each) as Pending, and a second submission of one returns it (200)', async () => {
    // Prepare
    const invoices = makeInvoiceBatch(50, { sellerNip: pipeline.companyNip, prefix: 'FV/E2E', issueDate: warsawDay(clock.now()) });
    // Act
    for (const xml of invoices) {
      const reply = await pipeline.call('POST', '/documents', { xml });
      expect(reply.status).toBe(201);
      stored.set(reply.body?.id as string, reply.body?.fields.invoiceNumber as string);
    }
    const again = await pipeline.call('POST', '/documents', { xml: invoices[0] });
    // Assess
    expect(again.status).toBe(200);
    expect(stored.has(again.body?.id as string)).toBe(true);
    const listed = await pipeline.listAll('/documents');
    expect(listed).toHaveLength(50);
    expect(new Set(listed.map((doc) => doc.status))).toEqual(new Set(['Pending']));
  });

  it('after the queues run, each of the 50 has a valid KSeF number of the company and a UPO, and the simulator holds each once', async () => {
    // Prepare
    await pipeline.createQueues();
    // Act
    outgoingRuns = await pipeline.driveOutgoing();
    // Assess
    const cards = await pipeline.documentCards();
    expect(cards).toHaveLength(50);
    for (const card of cards) {
      expect(card, card.fields.invoiceNumber).toMatchObject({ status: 'Accepted', upoPresent: true, rejection: null });
      expect(isValidKsefNumber(card.ksefNumber as string), card.ksefNumber).toBe(true);
      expect(card.ksefNumber).toMatch(new RegExp(`^${pipeline.companyNip}-`));
      expect(card.acquisitionDate).toEqual(expect.any(String));
      expect((card.history as Array<{ status: string }>).map((h) => h.status)).toEqual(['Pending', 'Sending', 'Sent', 'Accepted']);
    }
    expect(new Set(cards.map((card) => card.ksefNumber)).size).toBe(50);
    const byHash = pipeline.salesByHash();
    expect(cards.map((card) => byHash.get(card.contentSha256 as string) ?? 0)).toEqual(cards.map(() => 1));
    expect(byHash.size).toBe(50);
  });

  it('serves the UPO of every document as valid UPO XML naming its KSeF number', async () => {
    // Prepare
    const cards = await pipeline.documentCards();
    // Act
    const upos = [];
    for (const card of cards) upos.push({ card, reply: await pipeline.call('GET', `/documents/${encodeURIComponent(card.id as string)}/upo`) });
    // Assess
    for (const { card, reply } of upos) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toContain('xml');
      expect(reply.text).toContain(card.ksefNumber as string);
    }
    const verdicts = await validator.validateMany(
      'upo43',
      upos.map((u) => u.reply.text),
    );
    expect(verdicts.filter((verdict) => !verdict.valid)).toEqual([]);
  });

  it('reports in each run log what the run did: 50 sent, 50 accepted, 50 UPOs stored, 50 ledger rows', async () => {
    // Assess
    const all = Object.values(outgoingRuns).flat();
    expect(all.filter((row) => row.status !== 'Success')).toEqual([]);
    expect(total(outgoingRuns['send-documents'] ?? [], 'sent')).toBe(50);
    expect(total(outgoingRuns['send-documents'] ?? [], 'failed')).toBe(0);
    expect(total(outgoingRuns['process-sessions'] ?? [], 'accepted')).toBe(50);
    expect(total(outgoingRuns['process-sessions'] ?? [], 'rejected')).toBe(0);
    expect(total(outgoingRuns['process-upo'] ?? [], 'upoStored')).toBe(50);
    expect(outgoingRuns['update-ledgers']?.at(-1)?.counters).toMatchObject({ ledgerRows: 50, unknownInKsef: 0 });
  });

  it('has the 50 in the KSeF ledger with their KSeF numbers and invoice numbers', async () => {
    // Prepare
    const cards = await pipeline.documentCards();
    // Act
    const ledger = await pipeline.listAll('/ledger');
    // Assess
    expect(ledger).toHaveLength(50);
    const rows = new Map(ledger.map((row) => [row.ksefNumber as string, row]));
    for (const card of cards) {
      expect(rows.get(card.ksefNumber as string)).toMatchObject({
        direction: 'Outgoing',
        invoiceNumber: card.fields.invoiceNumber,
        sellerNip: pipeline.companyNip,
        documentId: card.id,
        status: 'Accepted',
        upoPresent: true,
        flags: [],
      });
    }
  });

  it('turns 20 purchase invoices seeded in the simulator into 20 incoming documents, and a second run adds nothing', async () => {
    // Prepare
    for (let i = 1; i <= 20; i++) {
      clock.set(new Date(clock.now().getTime() + 60_000));
      await pipeline.sim.seedIncomingInvoice({ sellerNip: SUPPLIER_NIP, buyerNip: pipeline.companyNip, invoiceNumber: `ZAK/${i}/2026` });
    }
    clock.set(new Date(clock.now().getTime() + 60_000));
    // Act
    const first = await pipeline.runNow('incoming-documents');
    const afterFirst = await pipeline.listAll('/incoming-documents');
    clock.set(new Date(clock.now().getTime() + 60_000));
    const second = await pipeline.runNow('incoming-documents');
    // Assess
    expect(first).toMatchObject({ status: 'Success', counters: { incomingAdded: 20 } });
    expect(second).toMatchObject({ status: 'Success', counters: { incomingAdded: 0 } });
    const incoming = await pipeline.listAll('/incoming-documents');
    expect(afterFirst).toHaveLength(20);
    expect(incoming).toHaveLength(20);
    expect(new Set(incoming.map((doc) => doc.ksefNumber)).size).toBe(20);
    expect(new Set(incoming.map((doc) => doc.fields.invoiceNumber))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `ZAK/${i + 1}/2026`)));
    for (const doc of incoming) expect(isValidKsefNumber(doc.ksefNumber as string)).toBe(true);
  });

  it('a second round of every queue finds nothing new to send, poll or fetch; the ledger takes in the 20 purchase invoices', async () => {
    // Prepare
    const before = await pipeline.documentCards();
    clock.set(new Date(clock.now().getTime() + 60_000));
    // Act
    const rows: Record<string, RunRow> = {};
    for (const codeUnit of CODE_UNIT_IDS) rows[codeUnit] = await pipeline.runNow(codeUnit);
    const ledger = await pipeline.listAll('/ledger');
    // Assess
    expect(Object.values(rows).map((row) => row.status)).toEqual(CODE_UNIT_IDS.map(() => 'Success'));
    expect(rows['send-documents']?.counters).toMatchObject({ sent: 0, reconciled: 0, sessionsOpened: 0 });
    expect(rows['process-sessions']?.counters).toMatchObject({ accepted: 0, rejected: 0 });
    expect(rows['process-upo']?.counters).toMatchObject({ upoStored: 0 });
    expect(rows['incoming-documents']?.counters).toMatchObject({ incomingAdded: 0 });
    expect(await pipeline.documentCards()).toEqual(before);
    expect(await pipeline.listAll('/incoming-documents')).toHaveLength(20);
    expect(pipeline.salesByHash().size).toBe(50);
    expect(ledger.filter((row) => row.direction === 'Outgoing')).toHaveLength(50);
    expect(ledger.filter((row) => row.direction === 'Incoming')).toHaveLength(20);
    expect(ledger.filter((row) => (row.flags as unknown[]).length > 0)).toEqual([]);
  });

  it('set Ready with a one-minute interval, the queues take five more invoices through on their own schedules', async () => {
    // Prepare
    const invoices = makeInvoiceBatch(5, { sellerNip: pipeline.companyNip, prefix: 'FV/SCHED', issueDate: warsawDay(clock.now()) });
    for (const xml of invoices) expect((await pipeline.call('POST', '/documents', { xml })).status).toBe(201);
    for (const codeUnit of CODE_UNIT_IDS) {
      const card = await pipeline.call('GET', `/queues/${codeUnit}`);
      const patched = await pipeline.call('PATCH', `/queues/${codeUnit}`, { json: { recurrence: { minutesBetweenRuns: 1 } }, headers: { 'if-match': card.headers.get('etag') ?? '' } });
      expect(patched.status).toBe(200);
      expect((await pipeline.call('POST', `/queues/${codeUnit}/status`, { json: { status: 'Ready' } })).body?.schedule).toMatchObject({ state: 'ENABLED' });
    }
    // Act: minute after minute, until the five are through (the runs of one minute run side by side).
    let scheduled: Record<string, any>[] = [];
    for (let minute = 1; minute <= 8; minute++) {
      await pipeline.advanceMinutes(1);
      await pipeline.sim.settle();
      scheduled = (await pipeline.listAll('/documents')).filter((doc) => (doc.invoiceNumber as string).startsWith('FV/SCHED/'));
      if (scheduled.every((doc) => doc.status === 'Accepted') && (await pipeline.documentCards()).every((card) => card.upoPresent === true)) break;
    }
    // Assess
    expect(scheduled.map((doc) => doc.status)).toEqual(['Accepted', 'Accepted', 'Accepted', 'Accepted', 'Accepted']);
    for (const doc of scheduled) expect(isValidKsefNumber(doc.ksefNumber as string)).toBe(true);
    const sendRuns = await pipeline.listAll('/queues/send-documents/runs');
    expect(sendRuns.filter((row) => row.trigger === 'schedule' && row.status === 'Success').length).toBeGreaterThanOrEqual(1);
    expect(total(sendRuns.filter((row) => row.trigger === 'schedule') as RunRow[], 'sent')).toBe(5);
    expect(sendRuns.filter((row) => row.status === 'Error')).toEqual([]);
    expect(pipeline.salesByHash().size).toBe(55);
  });
});
