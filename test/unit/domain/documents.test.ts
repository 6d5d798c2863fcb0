import { describe, expect, it } from 'vitest';
import {
  attachUpo,
  correctedInvoiceNumbers,
  holdOffline,
  ledgerRowOfIncoming,
  ledgerRowOfOutgoing,
  moveToSending,
  noUpoReason,
  planSending,
  recordAccepted,
  recordDuplicateReconciled,
  recordNoUpo,
  recordRefusedOnSend,
  recordRejected,
  recordSent,
  releaseHeld,
  returnToPending,
  sumAmounts,
  wouldBeMarkedOffline,
  type OutgoingDocument,
} from '../../../functions/domain/documents.js';
import { IllegalTransitionError } from '../../../functions/domain/errors.js';
import { makeDocument, makeIncoming } from '../../helpers/document-factory.js';

const by = 'send-documents';
const SESSION = '20260202-SO-0000000001-0000000001-01';
const INVOICE_REF = '20260202-EE-0000000001-0000000001-02';
const KSEF = '5265877635-20260202-0100001AF629-AF';

function sent(doc: OutgoingDocument = makeDocument()): OutgoingDocument {
  const sending = moveToSending(doc, { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: SESSION });
  return recordSent(sending, { at: '2026-02-02T09:00:01.000Z', by, sessionReferenceNumber: SESSION, invoiceReferenceNumber: INVOICE_REF });
}

describe('outgoing document transitions', () => {
  it('a document goes Pending → Sending → Sent → Accepted and its history records each step', () => {
    // Act
    const accepted = recordAccepted(sent(), { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z' });
    // Assess
    expect(accepted.status).toBe('Accepted');
    expect(accepted.ksefNumber).toBe(KSEF);
    expect(accepted.sessionReferenceNumber).toBe(SESSION);
    expect(accepted.invoiceReferenceNumber).toBe(INVOICE_REF);
    expect(accepted.history.map((h) => h.status)).toEqual(['Pending', 'Sending', 'Sent', 'Accepted']);
    expect(accepted.updatedAt).toBe('2026-02-02T09:05:00.000Z');
  });

  it('a document already sending cannot be moved to sending again, so it is never sent twice', () => {
    // Prepare
    const sending = moveToSending(makeDocument(), { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: SESSION });
    // Act / Assess
    expect(() => moveToSending(sending, { at: '2026-02-02T09:01:00.000Z', by, sessionReferenceNumber: SESSION })).toThrow(IllegalTransitionError);
  });

  it('a rejection keeps the code, description and details for the admin', () => {
    // Act
    const rejected = recordRejected(sent(), { at: '2026-02-02T09:05:00.000Z', by, rejection: { code: 450, description: 'Błąd weryfikacji semantyki', details: ['P_15 nie zgadza się'] } });
    // Assess
    expect(rejected.status).toBe('Rejected');
    expect(rejected.rejection).toEqual({ code: 450, description: 'Błąd weryfikacji semantyki', details: ['P_15 nie zgadza się'] });
    expect(() => recordAccepted(rejected, { at: 'x', by, ksefNumber: KSEF, acquisitionDate: 'x' })).toThrow(IllegalTransitionError);
  });

  it('a lost response reconciled by hash may go from Sending straight to Accepted', () => {
    // Prepare
    const sending = moveToSending(makeDocument(), { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: SESSION });
    // Act
    const accepted = recordAccepted(sending, { at: '2026-02-02T09:05:00.000Z', by, ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', invoiceReferenceNumber: INVOICE_REF });
    // Assess
    expect(accepted.invoiceReferenceNumber).toBe(INVOICE_REF);
  });

  it('a 440 duplicate with a matching hash becomes Accepted with the original KSeF number and says so', () => {
    // Act
    const reconciled = recordDuplicateReconciled(sent(), { at: '2026-02-02T09:05:00.000Z', by, originalKsefNumber: KSEF, originalSessionReferenceNumber: 'S-0', acquisitionDate: null });
    // Assess
    expect(reconciled.status).toBe('Accepted');
    expect(reconciled.ksefNumber).toBe(KSEF);
    expect(reconciled.duplicateOf).toEqual({ ksefNumber: KSEF, sessionReferenceNumber: 'S-0' });
  });

  it('a sending document that never reached KSeF returns to Pending without its session', () => {
    // Prepare
    const sending = moveToSending(makeDocument(), { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: SESSION });
    // Act
    const pending = returnToPending(sending, { at: '2026-02-02T09:00:02.000Z', by, note: 'session could not be opened' });
    // Assess
    expect(pending.status).toBe('Pending');
    expect(pending.sessionReferenceNumber).toBeNull();
    expect(pending.history.at(-1)).toEqual({ status: 'Pending', at: '2026-02-02T09:00:02.000Z', by, event: { kind: 'notSent', session: SESSION }, note: 'session could not be opened' });
  });

  it('each move records its event with the facts it knows', () => {
    // Prepare
    const offline = { ...makeDocument(), offlineMode: true };
    // Act
    const online = moveToSending(offline, { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: SESSION });
    const batch = moveToSending(makeDocument(), { at: '2026-02-02T09:00:00.000Z', by, sessionReferenceNumber: 'batch-run-1-1', batch: true });
    const found = recordSent(online, { at: '2026-02-02T09:00:01.000Z', by, sessionReferenceNumber: SESSION, invoiceReferenceNumber: INVOICE_REF, foundByHash: true });
    const accepted = recordAccepted(found, { at: '2026-02-02T09:05:00.000Z', by, ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z' });
    const duplicate = recordDuplicateReconciled(sent(), { at: '2026-02-02T09:05:00.000Z', by, originalKsefNumber: KSEF, originalSessionReferenceNumber: null, acquisitionDate: null });
    const refused = recordRefusedOnSend(batch, { at: '2026-02-02T09:00:01.000Z', by, rejection: { code: 400, description: 'Błąd weryfikacji', details: [] } });
    const noUpo = recordNoUpo(duplicate, { at: '2026-02-02T10:00:00.000Z', by: 'process-upo', reason: 'KSeF did not name the session of the original' });
    // Assess
    expect(online.history.at(-1)?.event).toEqual({ kind: 'sending', session: SESSION, batch: false, offlineMode: true });
    expect(batch.history.at(-1)?.event).toEqual({ kind: 'sending', session: 'batch-run-1-1', batch: true, offlineMode: false });
    expect(found.history.at(-1)?.event).toEqual({ kind: 'sent', session: SESSION, invoiceReferenceNumber: INVOICE_REF, foundByHash: true });
    expect(sent().history.at(-1)?.event).toMatchObject({ kind: 'sent', foundByHash: false });
    expect(accepted.history.at(-1)?.event).toEqual({ kind: 'accepted', ksefNumber: KSEF });
    expect(duplicate.history.at(-1)?.event).toEqual({ kind: 'duplicateReconciled', originalKsefNumber: KSEF });
    expect(refused).toMatchObject({ status: 'Rejected', rejection: { code: 400 } });
    expect(refused.history.at(-1)?.event).toEqual({ kind: 'refusedOnSend', code: 400, description: 'Błąd weryfikacji' });
    expect(noUpo.history.at(-1)).toMatchObject({ status: 'Accepted', event: { kind: 'noUpo', reason: 'KSeF did not name the session of the original' }, note: 'no UPO available: KSeF did not name the session of the original' });
    expect(noUpoReason(noUpo)).toBe('KSeF did not name the session of the original');
    expect(noUpoReason(duplicate)).toBeNull();
    expect(() => recordRefusedOnSend(sent(), { at: 'x', by, rejection: { code: 400, description: 'x', details: [] } })).toThrow(IllegalTransitionError);
  });

  it('a held document keeps its reason and is released as offline only when the admin says so', () => {
    // Act
    const held = holdOffline(makeDocument(), { at: '2026-02-03T00:10:00.000Z', by, reason: 'issued 2026-02-02, sending on 2026-02-03 would make it offline' });
    const released = releaseHeld(held, { at: '2026-02-03T08:00:00.000Z', by: 'admin@example.com', offlineMode: true });
    // Assess
    expect(held.status).toBe('Held');
    expect(held.heldReason).toMatch(/offline/);
    expect(released.status).toBe('Pending');
    expect(released.offlineMode).toBe(true);
    expect(released.heldReason).toBeNull();
  });

  it('only an accepted document gets a UPO, and attaching it does not add a status change', () => {
    // Prepare
    const accepted = recordAccepted(sent(), { at: '2026-02-02T09:05:00.000Z', by, ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z' });
    // Act
    const withUpo = attachUpo(accepted, `upo/${KSEF}.xml`, '2026-02-02T10:00:00.000Z');
    // Assess
    expect(withUpo.upoKey).toBe(`upo/${KSEF}.xml`);
    expect(withUpo.history).toHaveLength(accepted.history.length);
    expect(() => attachUpo(sent(), 'upo/x.xml', 'x')).toThrow(IllegalTransitionError);
  });
});

describe('send order', () => {
  const correction = (id: string, originalNumber: string, ksefNumber: string | null = null) =>
    makeDocument({
      id,
      fields: { invoiceType: 'KOR', invoiceNumber: `KOR/${id}`, issueDate: '2026-02-01', corrects: [{ invoiceNumber: originalNumber, issueDate: '2026-01-30', ksefNumber, outsideKsef: false }] },
    });

  it('pending documents are sent by issue date, then by submission time', () => {
    // Prepare
    const late = makeDocument({ id: 'a', fields: { invoiceNumber: 'FV/3', issueDate: '2026-02-03' } });
    const earlySecond = makeDocument({ id: 'b', fields: { invoiceNumber: 'FV/2', issueDate: '2026-02-01' }, at: '2026-02-01T10:00:00.000Z' });
    const earlyFirst = makeDocument({ id: 'c', fields: { invoiceNumber: 'FV/1', issueDate: '2026-02-01' }, at: '2026-02-01T09:00:00.000Z' });
    // Act
    const plan = planSending([late, earlySecond, earlyFirst], new Map());
    // Assess
    expect(plan.sendable.map((d) => d.id)).toEqual(['c', 'b', 'a']);
    expect(plan.waiting).toEqual([]);
  });

  it('a correcting invoice waits while its original has no KSeF number, even in the same batch', () => {
    // Prepare
    const original = makeDocument({ id: 'orig', fields: { invoiceNumber: 'FV/1', issueDate: '2026-01-30' } });
    const kor = correction('kor', 'FV/1');
    // Act
    const plan = planSending([kor, original], new Map([['FV/1', original]]));
    // Assess
    expect(plan.sendable.map((d) => d.id)).toEqual(['orig']);
    expect(plan.waiting.map((w) => w.document.id)).toEqual(['kor']);
    expect(plan.waiting[0]?.reason).toContain("'FV/1' has no KSeF number yet (Pending)");
    expect(correctedInvoiceNumbers([kor, original])).toEqual(['FV/1']);
  });

  it('a correcting invoice goes once its original has a KSeF number', () => {
    // Prepare
    const original = recordAccepted(sent(makeDocument({ id: 'orig', fields: { invoiceNumber: 'FV/1' } })), { at: 'x', by, ksefNumber: KSEF, acquisitionDate: 'x' });
    // Act
    const plan = planSending([correction('kor', 'FV/1')], new Map([['FV/1', original]]));
    // Assess
    expect(plan.sendable.map((d) => d.id)).toEqual(['kor']);
  });

  it('a correction that names the original KSeF number, or of an invoice this system never held, does not wait', () => {
    // Prepare
    const pendingOriginal = makeDocument({ id: 'orig', fields: { invoiceNumber: 'FV/1' } });
    // Act
    const plan = planSending([correction('k1', 'FV/1', KSEF), correction('k2', 'FV/OTHER')], new Map([['FV/1', pendingOriginal]]));
    // Assess
    expect(plan.sendable.map((d) => d.id).sort()).toEqual(['k1', 'k2']);
  });
});

describe('offline marking', () => {
  it('an invoice issued yesterday in Warsaw would be marked offline, one issued today would not', () => {
    // Prepare: 23:30 UTC on 1 Feb is already 2 Feb in Warsaw (UTC+1)
    const sendAt = new Date('2026-02-01T23:30:00Z');
    // Act / Assess
    expect(wouldBeMarkedOffline({ issueDate: '2026-02-01' }, sendAt)).toBe(true);
    expect(wouldBeMarkedOffline({ issueDate: '2026-02-02' }, sendAt)).toBe(false);
  });

  it('in summer time the Warsaw day starts at 22:00 UTC', () => {
    // Act / Assess
    expect(wouldBeMarkedOffline({ issueDate: '2026-07-01' }, new Date('2026-07-01T21:59:59Z'))).toBe(false);
    expect(wouldBeMarkedOffline({ issueDate: '2026-07-01' }, new Date('2026-07-01T22:00:00Z'))).toBe(true);
  });
});

describe('amounts and ledger rows', () => {
  it('amounts are summed exactly in grosze, including negative corrections', () => {
    // Act / Assess
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['43.6', '100', '-0.01'])).toBe('143.59');
    expect(sumAmounts(['-10.00', '2.50'])).toBe('-7.50');
    expect(sumAmounts([])).toBe('0.00');
    expect(() => sumAmounts(['1.234'])).toThrow(RangeError);
  });

  it('an outgoing document has a ledger row only once it has a KSeF number, with its UPO presence', () => {
    // Prepare
    const accepted = attachUpo(recordAccepted(sent(), { at: 'x', by, ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z' }), `upo/${KSEF}.xml`, 'x');
    // Act
    const row = ledgerRowOfOutgoing(accepted, '2026-02-02T10:00:00.000Z');
    // Assess
    expect(ledgerRowOfOutgoing(makeDocument(), 'x')).toBeNull();
    expect(row).toMatchObject({ ksefNumber: KSEF, direction: 'Outgoing', invoiceNumber: 'FV/00001/2026', grossAmount: '53.63', status: 'Accepted', upoPresent: true, documentId: 'doc-1' });
  });

  it('an incoming document becomes a Received ledger row of its seller', () => {
    // Act
    const row = ledgerRowOfIncoming(makeIncoming('1111111111-20260203-0100001AF629-AF'), 'x');
    // Assess
    expect(row).toMatchObject({ direction: 'Incoming', status: 'Received', sellerNip: '1111111111', documentId: null });
  });
});
