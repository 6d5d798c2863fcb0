import { describe, expect, it } from 'vitest';
import {
  afterKsefCancellation,
  afterPackageRefused,
  isKsefResendCode,
  moveToSending,
  recordSent,
  resendsAfterKsefCancellation,
  type OutgoingDocument,
} from '../../../functions/domain/documents.js';
import { IllegalTransitionError } from '../../../functions/domain/errors.js';
import { makeDocument } from '../../helpers/document-factory.js';

const SESSION = '20260202-SO-0000000001-0000000001-01';
const CANCELLED = { code: 550, description: 'Operacja została anulowana przez system', details: ['Spróbuj ponownie'] };
const at = '2026-02-02T09:10:00.000Z';

function sent(doc: OutgoingDocument = makeDocument()): OutgoingDocument {
  const sending = moveToSending(doc, { at, by: 'send-documents', sessionReferenceNumber: SESSION });
  return recordSent(sending, { at, by: 'send-documents', sessionReferenceNumber: SESSION, invoiceReferenceNumber: 'EE-1' });
}

function cancel(doc: OutgoingDocument, maxResends?: number): OutgoingDocument {
  return afterKsefCancellation(doc, { at, by: 'process-sessions', ksefStatus: CANCELLED, sessionReferenceNumber: SESSION, ...(maxResends === undefined ? {} : { maxResends }) });
}

describe('invoices KSeF cancels with "retry"', () => {
  it('only 405 and 550 mean "send it again"', () => {
    // Act
    const codes = [200, 405, 410, 430, 440, 450, 500, 550].filter(isKsefResendCode);
    // Assess
    expect(codes).toEqual([405, 550]);
  });

  it('a Sent document KSeF cancelled goes back to Pending without its session, its history naming the code, description and session', () => {
    // Act
    const pending = cancel(sent());
    // Assess
    expect(pending).toMatchObject({ status: 'Pending', sessionReferenceNumber: null, invoiceReferenceNumber: null, rejection: null });
    expect(pending.history.at(-1)?.event).toEqual({ kind: 'ksefCancelled', code: 550, description: 'Operacja została anulowana przez system', session: SESSION });
    expect(resendsAfterKsefCancellation(pending)).toBe(1);
  });

  it('a batch document still in Sending may go back to Pending too', () => {
    // Prepare
    const sending = moveToSending(makeDocument(), { at, by: 'send-documents', sessionReferenceNumber: SESSION });
    // Act
    const pending = cancel(sending);
    // Assess
    expect(pending.status).toBe('Pending');
  });

  it('after the limit of resends the next cancellation is a rejection saying how often it was retried', () => {
    // Prepare
    let doc = sent();
    for (let i = 0; i < 2; i++) doc = sent(cancel(doc, 2));
    // Act
    const rejected = cancel(doc, 2);
    // Assess
    const reason = 'KSeF cancelled this invoice 3 times (last: 550 Operacja została anulowana przez system); it was sent again 2 times and is not retried any more';
    expect(rejected).toMatchObject({ status: 'Rejected', rejection: { code: 550, description: CANCELLED.description, details: ['Spróbuj ponownie', reason] } });
    expect(rejected.history.at(-1)).toMatchObject({ event: { kind: 'resendsExhausted', code: 550, resends: 2, after: 'ksefCancelled' }, note: reason });
  });

  it('a document that is not in KSeF\'s hands cannot be cancelled', () => {
    // Act
    const act = () => cancel(makeDocument());
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });
});

describe('batch packages KSeF refuses as a whole', () => {
  const BATCH = '20260202-SB-0000000001-0000000001-01';
  const REFUSED = { code: 445, description: 'Błąd weryfikacji, brak poprawnych faktur', details: [`batch session ${BATCH} ended with 445`] };
  const inBatch = (doc: OutgoingDocument = makeDocument()) => moveToSending(doc, { at, by: 'send-documents', sessionReferenceNumber: 'batch-run-1-1', batch: true });
  const refuse = (doc: OutgoingDocument, maxResends?: number) =>
    afterPackageRefused(doc, { at, by: 'process-sessions', ksefStatus: REFUSED, sessionReferenceNumber: BATCH, ...(maxResends === undefined ? {} : { maxResends }) });

  it('a document whose package was refused goes back to Pending with its own event, not as a cancellation', () => {
    // Act
    const pending = refuse(inBatch());
    // Assess
    expect(pending).toMatchObject({ status: 'Pending', sessionReferenceNumber: null });
    expect(pending.history.at(-1)).toMatchObject({ event: { kind: 'packageRefused', code: 445, description: REFUSED.description, session: BATCH }, note: expect.stringContaining(BATCH) });
    expect(resendsAfterKsefCancellation(pending)).toBe(1);
  });

  it('refused packages and cancellations count against one limit of resends, and the rejection says which came last', () => {
    // Prepare: cancelled once, refused in a package once; the limit is two resends.
    const twice = refuse(inBatch(cancel(sent(), 2)), 2);
    // Act
    const rejected = refuse(inBatch(twice), 2);
    // Assess
    expect(resendsAfterKsefCancellation(twice)).toBe(2);
    expect(rejected).toMatchObject({ status: 'Rejected', rejection: { code: 445 } });
    expect(rejected.history.at(-1)?.event).toEqual({ kind: 'resendsExhausted', code: 445, description: REFUSED.description, resends: 2, after: 'packageRefused' });
    expect(rejected.rejection?.details.at(-1)).toContain('KSeF refused the batch package of this invoice 3 times');
  });
});
