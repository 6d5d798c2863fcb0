import { IllegalTransitionError } from '../errors.js';
import { releaseHeld } from './life-cycle.js';
import { businessKeyOf, sameBusinessKey, type InvoiceFields, type OutgoingDocument } from './model.js';
import { move, NOTHING_SENT_YET, type Change } from './transition.js';

/* What an admin does with a document the system put aside: release a Held one, replace a Rejected one. */

/**
 * An admin's decision on a Held document (POST /documents/{id}/release). `offlineMode` true sends
 * it declared offline (offline24); false sends it as a normal invoice, accepting that KSeF marks it
 * offline on its own because its issue date is before the send date (README §12).
 */
export function releaseHeldByAdmin(doc: OutgoingDocument, change: Omit<Change, 'note'> & { readonly offlineMode: boolean }): OutgoingDocument {
  const why = doc.heldReason === null ? '' : ` (held: ${doc.heldReason})`;
  const note = change.offlineMode
    ? `released to be sent declared offline (offlineMode, offline24)${why}`
    : `released to be sent as a normal invoice, accepting that KSeF marks it offline automatically${why}`;
  return releaseHeld(doc, { ...change, note });
}

/** The corrected XML that replaces a Rejected document's content; the business key stays. */
export interface ReplacementContent {
  readonly fields: InvoiceFields;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly xmlKey: string;
}

/** Why the same content as a Rejected document is refused (409): resending it would fail again. */
export function rejectedSameContentMessage(doc: OutgoingDocument): string {
  const why = doc.rejection === null ? '' : ` (${doc.rejection.code} ${doc.rejection.description})`;
  return `Invoice ${doc.key.invoiceType} '${doc.key.invoiceNumber}' was rejected by KSeF${why} with exactly this content; correct the invoice and submit the corrected XML with the same number.`;
}

/**
 * A Rejected invoice never got a KSeF number, so its number may be used again: corrected content
 * replaces the document's, which goes back to Pending to be sent. Everything the rejected send left
 * (references, rejection, offline decision) is cleared; the history keeps the rejection and says
 * what it was, so the admin still sees why the first content failed.
 */
export function resubmitRejected(doc: OutgoingDocument, change: Omit<Change, 'note'> & { readonly content: ReplacementContent }): OutgoingDocument {
  const { content } = change;
  if (!sameBusinessKey(doc.key, businessKeyOf(content.fields))) {
    throw new IllegalTransitionError(doc.status, 'Pending', `Document '${doc.id}' can be replaced only by an invoice with the same seller, type and number.`);
  }
  if (content.contentSha256 === doc.contentSha256) {
    throw new IllegalTransitionError(doc.status, 'Pending', rejectedSameContentMessage(doc));
  }
  const rejected = doc.rejection === null ? 'rejected' : `rejected with ${doc.rejection.code} ${doc.rejection.description}`;
  const note = `resubmitted after rejection: corrected content (SHA-256 ${content.contentSha256}) replaces the content ${rejected} (SHA-256 ${doc.contentSha256})`;
  const event = { kind: 'resubmitted', contentSha256: content.contentSha256, replacedSha256: doc.contentSha256 } as const;
  return move(doc, ['Rejected'], 'Pending', { at: change.at, by: change.by, note }, event, {
    fields: content.fields,
    contentSha256: content.contentSha256,
    sizeBytes: content.sizeBytes,
    xmlKey: content.xmlKey,
    ...NOTHING_SENT_YET,
  });
}
