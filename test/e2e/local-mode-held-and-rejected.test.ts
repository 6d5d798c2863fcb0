import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { warsawDay } from '../../functions/domain/documents.js';
import { isValidKsefNumber } from '../../functions/domain/ksef-number.js';
import { makeInvoiceXml } from '../helpers/fa3-invoice-factory.js';
import { LocalPipeline } from './helpers/local-pipeline.js';

/*
 * What an admin does in local mode, through HTTP against the KSeF simulator, with the invoices the
 * pipeline put aside: one held because KSeF would mark it offline is released as offline and gets
 * its KSeF number; one KSeF rejected is corrected, submitted again under its number, and gets its
 * KSeF number too.
 */

const START = new Date('2026-11-25T09:00:20.000Z');
const YESTERDAY = '2026-11-24';
const TOMORROW = '2026-11-26';

const clock = new ManualClock(START);
let pipeline: LocalPipeline;

beforeAll(async () => {
  pipeline = await LocalPipeline.start(clock);
  await pipeline.createQueues();
});

afterAll(async () => {
  await pipeline?.close();
});

async function card(id: string): Promise<Record<string, any>> {
  const reply = await pipeline.call('GET', `/documents/${id}`);
  expect(reply.status).toBe(200);
  return reply.body ?? {};
}

describe('held and rejected invoices in local mode, through HTTP against the simulator', () => {
  it('an invoice held because KSeF would mark it offline, released with offlineMode true, is sent declared offline and gets its KSeF number and UPO', async () => {
    // Prepare: issued yesterday (Warsaw), so the send run holds it under the default policy.
    const submitted = await pipeline.call('POST', '/documents', { xml: makeInvoiceXml({ number: 'FV/HELD/1', issueDate: YESTERDAY, sellerNip: pipeline.companyNip }) });
    const id = submitted.body?.id as string;
    const sendRun = await pipeline.runNow('send-documents');
    const held = await card(id);

    // Act
    const released = await pipeline.call('POST', `/documents/${id}/release`, { json: { offlineMode: true }, headers: { 'if-match': `"${held.version as number}"` } });
    await pipeline.driveOutgoing();
    const done = await card(id);

    // Assess
    expect(warsawDay(clock.now()) > YESTERDAY).toBe(true);
    expect(sendRun.counters).toMatchObject({ heldOffline: 1, sent: 0 });
    expect(held).toMatchObject({ status: 'Held', heldReason: expect.stringContaining('offline') });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'Pending', offlineMode: true });
    expect(done).toMatchObject({ status: 'Accepted', offlineMode: true, upoPresent: true });
    expect(isValidKsefNumber(done.ksefNumber as string)).toBe(true);
    expect(done.history.map((change: { status: string }) => change.status)).toEqual(['Pending', 'Held', 'Pending', 'Sending', 'Sent', 'Accepted']);
    const sentToKsef = [...pipeline.sim.state.sessions.values()].flatMap((session) => session.invoices).filter((invoice) => invoice.invoiceHash === done.contentSha256);
    expect(sentToKsef.map((invoice) => invoice.offlineMode)).toEqual([true]);
    expect(pipeline.sim.state.invoicesByKsefNumber.get(done.ksefNumber as string)?.invoicingMode).toBe('Offline');
  });

  it('an invoice KSeF rejected, corrected and submitted again under its number, is sent again and gets its KSeF number; KSeF holds only the corrected one', async () => {
    // Prepare: dated tomorrow, which KSeF refuses (450: issue date after the acquisition date).
    const wrong = makeInvoiceXml({ number: 'FV/REJ/1', issueDate: TOMORROW, sellerNip: pipeline.companyNip });
    const id = (await pipeline.call('POST', '/documents', { xml: wrong })).body?.id as string;
    await pipeline.driveOutgoing();
    const rejected = await card(id);
    const corrected = makeInvoiceXml({ number: 'FV/REJ/1', issueDate: warsawDay(clock.now()), sellerNip: pipeline.companyNip });

    // Act
    const unchanged = await pipeline.call('POST', '/documents', { xml: wrong });
    const resubmitted = await pipeline.call('POST', '/documents', { xml: corrected });
    await pipeline.driveOutgoing();
    const done = await card(id);

    // Assess
    expect(rejected).toMatchObject({ status: 'Rejected', ksefNumber: null, rejection: { code: 450 } });
    expect(unchanged.status).toBe(409);
    expect(unchanged.body?.detail).toContain('was rejected by KSeF (450');
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ id, status: 'Pending', rejection: null });
    expect(done).toMatchObject({ status: 'Accepted', upoPresent: true, fields: { issueDate: warsawDay(clock.now()) } });
    expect(isValidKsefNumber(done.ksefNumber as string)).toBe(true);
    expect(done.contentSha256).not.toBe(rejected.contentSha256);
    expect(done.history.map((change: { status: string }) => change.status)).toEqual(['Pending', 'Sending', 'Sent', 'Rejected', 'Pending', 'Sending', 'Sent', 'Accepted']);
    expect(done.history[3]).toMatchObject({ status: 'Rejected', event: { kind: 'rejected', code: 450 } });
    expect(done.history[4].event).toEqual({ kind: 'resubmitted', contentSha256: done.contentSha256, replacedSha256: rejected.contentSha256 });
    const sales = pipeline.salesByHash();
    expect(sales.get(done.contentSha256 as string)).toBe(1);
    expect(sales.has(rejected.contentSha256 as string)).toBe(false);
    expect((await pipeline.call('GET', `/documents/${id}/xml`)).text).toBe(corrected);
  });
});
