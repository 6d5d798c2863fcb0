import { describe, expect, it } from 'vitest';
import {
  afterKsefCancellation,
  holdOffline,
  moveToSending,
  recordRejected,
  recordSent,
  releaseHeldByAdmin,
  rejectedSameContentMessage,
  resendsAfterKsefCancellation,
  resubmitRejected,
  sendsDespiteOfflineMarking,
  type OutgoingDocument,
  type ReplacementContent,
} from '../../../functions/domain/documents.js';
import { IllegalTransitionError } from '../../../functions/domain/errors.js';
import { makeDocument, makeFields } from '../../helpers/document-factory.js';

/*
 * What an admin does with a document the system put aside: release a Held one (declared offline,
 * or as it is) and replace a Rejected one with corrected content.
 */

const ADMIN = 'arn:aws:iam::123456789012:user/admin';
const SESSION = '20260202-SO-0000000001-0000000001-01';
const REASON = 'issued 2026-02-02, before the send date 2026-02-03 (Europe/Warsaw): KSeF would mark it offline';
const REJECTION = { code: 450, description: 'Błąd weryfikacji semantyki dokumentu faktury', details: ['P_1 is later than the acquisition date'] };

function held(doc: OutgoingDocument = makeDocument()): OutgoingDocument {
  return holdOffline(doc, { at: '2026-02-03T00:10:00.000Z', by: 'send-documents', reason: REASON });
}

function rejected(doc: OutgoingDocument = makeDocument()): OutgoingDocument {
  const sending = moveToSending(doc, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: SESSION });
  const sent = recordSent(sending, { at: '2026-02-02T09:00:01.000Z', by: 'send-documents', sessionReferenceNumber: SESSION, invoiceReferenceNumber: 'EE-1' });
  return recordRejected(sent, { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', rejection: REJECTION, note: 'rejected by KSeF' });
}

function corrected(overrides: Partial<ReplacementContent> = {}): ReplacementContent {
  return {
    fields: makeFields({ issueDate: '2026-02-02', netAmount: '100.00', vatAmount: '23.00', grossAmount: '123.00' }),
    contentSha256: Buffer.from('hash-of-the-corrected-invoice').toString('base64'),
    sizeBytes: 3100,
    xmlKey: 'outgoing/corrected.xml',
    ...overrides,
  };
}

describe('releasing a held document', () => {
  it('released as offline, it is Pending, declared offline, and the history says who released it, how and why it was held', () => {
    // Act
    const released = releaseHeldByAdmin(held(), { at: '2026-02-03T08:00:00.000Z', by: ADMIN, offlineMode: true });

    // Assess
    expect(released).toMatchObject({ status: 'Pending', offlineMode: true, heldReason: null, updatedAt: '2026-02-03T08:00:00.000Z' });
    expect(released.history.at(-1)).toEqual({
      status: 'Pending',
      at: '2026-02-03T08:00:00.000Z',
      by: ADMIN,
      event: { kind: 'released', offlineMode: true },
      note: `released to be sent declared offline (offlineMode, offline24) (held: ${REASON})`,
    });
    expect(sendsDespiteOfflineMarking(released)).toBe(false);
  });

  it('released as it is, it is Pending, not declared offline, and marked to be sent despite the automatic offline marking', () => {
    // Act
    const released = releaseHeldByAdmin(held(), { at: '2026-02-03T08:00:00.000Z', by: ADMIN, offlineMode: false });

    // Assess
    expect(released).toMatchObject({ status: 'Pending', offlineMode: false, heldReason: null });
    expect(released.history.at(-1)).toMatchObject({ event: { kind: 'released', offlineMode: false }, note: expect.stringContaining(REASON) });
    expect(sendsDespiteOfflineMarking(released)).toBe(true);
  });

  it('a release as it is no longer counts once the document was held again or its content was replaced', () => {
    // Prepare
    const releasedAsIs = releaseHeldByAdmin(held(), { at: '2026-02-03T08:00:00.000Z', by: ADMIN, offlineMode: false });

    // Act
    const heldAgain = held(releasedAsIs);
    const replaced = resubmitRejected(rejected(releasedAsIs), { at: '2026-02-04T08:00:00.000Z', by: ADMIN, content: corrected() });

    // Assess
    expect(sendsDespiteOfflineMarking(heldAgain)).toBe(false);
    expect(sendsDespiteOfflineMarking(replaced)).toBe(false);
    expect(sendsDespiteOfflineMarking(makeDocument())).toBe(false);
  });

  it.each(['Pending', 'Sent', 'Rejected'] as const)('a %s document cannot be released', (status) => {
    // Prepare
    const doc = status === 'Pending' ? makeDocument() : status === 'Rejected' ? rejected() : { ...rejected(), status };

    // Act
    const act = () => releaseHeldByAdmin(doc, { at: '2026-02-03T08:00:00.000Z', by: ADMIN, offlineMode: true });

    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });
});

describe('resubmitting a rejected document', () => {
  it('corrected content replaces the rejected one: Pending again with the new content and hash, the rejection kept in the history', () => {
    // Prepare
    const before = rejected();

    // Act
    const resubmitted = resubmitRejected(before, { at: '2026-02-03T10:00:00.000Z', by: ADMIN, content: corrected() });

    // Assess
    expect(resubmitted).toMatchObject({
      id: before.id,
      key: before.key,
      status: 'Pending',
      contentSha256: corrected().contentSha256,
      sizeBytes: 3100,
      xmlKey: 'outgoing/corrected.xml',
      fields: { grossAmount: '123.00' },
      rejection: null,
      sessionReferenceNumber: null,
      invoiceReferenceNumber: null,
      ksefNumber: null,
      offlineMode: false,
    });
    expect(resubmitted.history.map((change) => change.status)).toEqual(['Pending', 'Sending', 'Sent', 'Rejected', 'Pending']);
    expect(resubmitted.history.at(-2)).toMatchObject({ status: 'Rejected', by: 'process-sessions', note: 'rejected by KSeF' });
    expect(resubmitted.history.at(-1)).toEqual({
      status: 'Pending',
      at: '2026-02-03T10:00:00.000Z',
      by: ADMIN,
      event: { kind: 'resubmitted', contentSha256: corrected().contentSha256, replacedSha256: before.contentSha256 },
      note: `resubmitted after rejection: corrected content (SHA-256 ${corrected().contentSha256}) replaces the content rejected with 450 Błąd weryfikacji semantyki dokumentu faktury (SHA-256 ${before.contentSha256})`,
    });
  });

  it('the same content as the rejected one is refused with the reason it was rejected', () => {
    // Prepare
    const before = rejected();

    // Act
    const act = () => resubmitRejected(before, { at: '2026-02-03T10:00:00.000Z', by: ADMIN, content: corrected({ contentSha256: before.contentSha256 }) });

    // Assess
    expect(act).toThrow(IllegalTransitionError);
    expect(act).toThrow(rejectedSameContentMessage(before));
    expect(rejectedSameContentMessage(before)).toBe(
      "Invoice VAT 'FV/00001/2026' was rejected by KSeF (450 Błąd weryfikacji semantyki dokumentu faktury) with exactly this content; correct the invoice and submit the corrected XML with the same number.",
    );
  });

  it('content with another business key, or a document that is not Rejected, cannot be resubmitted', () => {
    // Act
    const otherNumber = () => resubmitRejected(rejected(), { at: '2026-02-03T10:00:00.000Z', by: ADMIN, content: corrected({ fields: makeFields({ invoiceNumber: 'FV/OTHER' }) }) });
    const pending = () => resubmitRejected(makeDocument(), { at: '2026-02-03T10:00:00.000Z', by: ADMIN, content: corrected() });

    // Assess
    expect(otherNumber).toThrow(/same seller, type and number/);
    expect(pending).toThrow(IllegalTransitionError);
  });

  it('KSeF cancellations before the resubmission do not count against the corrected content', () => {
    // Prepare: cancelled once, then rejected past the limit of 1, then corrected.
    const status = { code: 550, description: 'Operacja została anulowana przez system', details: [] };
    const sending = (doc: OutgoingDocument) => moveToSending(doc, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: SESSION });
    const cancelledOnce = afterKsefCancellation(sending(makeDocument()), { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', ksefStatus: status, sessionReferenceNumber: SESSION, maxResends: 1 });
    const rejectedAtLimit = afterKsefCancellation(sending(cancelledOnce), { at: '2026-02-02T09:10:00.000Z', by: 'process-sessions', ksefStatus: status, sessionReferenceNumber: SESSION, maxResends: 1 });

    // Act
    const resubmitted = resubmitRejected(rejectedAtLimit, { at: '2026-02-03T10:00:00.000Z', by: ADMIN, content: corrected() });

    // Assess
    expect(rejectedAtLimit.status).toBe('Rejected');
    expect(resendsAfterKsefCancellation(rejectedAtLimit)).toBe(1);
    expect(resendsAfterKsefCancellation(resubmitted)).toBe(0);
  });
});
