import { IllegalTransitionError } from '../errors.js';
import { businessKeyOf, type DocumentRejection, type InvoiceFields, type OutgoingDocument } from './model.js';
import { move, NOTHING_SENT_YET, record, type Change } from './transition.js';

/*
 * The moves of an outgoing document that the code units make as KSeF answers (see documents.ts for
 * the whole life cycle). Each records its event in the history; the caller's note is for people.
 */

export type { Change } from './transition.js';

export interface NewDocumentInput {
  readonly id: string;
  readonly fields: InvoiceFields;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly xmlKey: string;
  readonly submittedBy: string;
  readonly at: string;
}

export function newOutgoingDocument(input: NewDocumentInput): OutgoingDocument {
  return {
    id: input.id,
    key: businessKeyOf(input.fields),
    fields: input.fields,
    contentSha256: input.contentSha256,
    sizeBytes: input.sizeBytes,
    xmlKey: input.xmlKey,
    status: 'Pending',
    ...NOTHING_SENT_YET,
    history: [{ status: 'Pending', at: input.at, by: input.submittedBy, event: { kind: 'submitted' }, note: 'submitted' }],
    submittedBy: input.submittedBy,
    createdAt: input.at,
    updatedAt: input.at,
    version: 1,
  };
}

/**
 * Intent before the side effect: persist this (conditionally) before the invoice leaves. `batch`
 * when it goes in a batch session (the session is then the batch's local id until KSeF names it).
 */
export function moveToSending(doc: OutgoingDocument, change: Change & { readonly sessionReferenceNumber: string; readonly batch?: boolean }): OutgoingDocument {
  const event = { kind: 'sending', session: change.sessionReferenceNumber, batch: change.batch ?? false, offlineMode: doc.offlineMode } as const;
  return move(doc, ['Pending'], 'Sending', change, event, { sessionReferenceNumber: change.sessionReferenceNumber, rejection: null });
}

/** `foundByHash`: the send's answer was lost, and the invoice was found in the session's list by its hash. */
export function recordSent(
  doc: OutgoingDocument,
  change: Change & { readonly sessionReferenceNumber: string; readonly invoiceReferenceNumber: string; readonly foundByHash?: boolean },
): OutgoingDocument {
  const event = { kind: 'sent', session: change.sessionReferenceNumber, invoiceReferenceNumber: change.invoiceReferenceNumber, foundByHash: change.foundByHash ?? false } as const;
  return move(doc, ['Sending'], 'Sent', change, event, {
    sessionReferenceNumber: change.sessionReferenceNumber,
    invoiceReferenceNumber: change.invoiceReferenceNumber,
  });
}

/** Only when it is certain that nothing reached KSeF (e.g. the session never opened). */
export function returnToPending(doc: OutgoingDocument, change: Change): OutgoingDocument {
  return move(doc, ['Sending'], 'Pending', change, { kind: 'notSent', session: doc.sessionReferenceNumber }, { sessionReferenceNumber: null, invoiceReferenceNumber: null });
}

export function recordAccepted(
  doc: OutgoingDocument,
  change: Change & { readonly ksefNumber: string; readonly acquisitionDate: string; readonly invoiceReferenceNumber?: string },
): OutgoingDocument {
  return move(doc, ['Sending', 'Sent'], 'Accepted', change, { kind: 'accepted', ksefNumber: change.ksefNumber }, {
    ksefNumber: change.ksefNumber,
    acquisitionDate: change.acquisitionDate,
    invoiceReferenceNumber: change.invoiceReferenceNumber ?? doc.invoiceReferenceNumber,
    rejection: null,
  });
}

/** KSeF refused it as a duplicate (440) of an invoice with the same hash: that one is this one. */
export function recordDuplicateReconciled(
  doc: OutgoingDocument,
  change: Change & { readonly originalKsefNumber: string; readonly originalSessionReferenceNumber: string | null; readonly acquisitionDate: string | null },
): OutgoingDocument {
  return move(doc, ['Sending', 'Sent'], 'Accepted', change, { kind: 'duplicateReconciled', originalKsefNumber: change.originalKsefNumber }, {
    ksefNumber: change.originalKsefNumber,
    acquisitionDate: change.acquisitionDate,
    duplicateOf: { ksefNumber: change.originalKsefNumber, sessionReferenceNumber: change.originalSessionReferenceNumber },
    rejection: null,
  });
}

/** KSeF processed the invoice and rejected it. */
export function recordRejected(doc: OutgoingDocument, change: Change & { readonly rejection: DocumentRejection }): OutgoingDocument {
  const { code, description } = change.rejection;
  return move(doc, ['Sending', 'Sent'], 'Rejected', change, { kind: 'rejected', code, description }, { rejection: change.rejection });
}

/** KSeF refused the invoice itself when it was sent (a 4xx naming the invoice): it never got into the session. */
export function recordRefusedOnSend(doc: OutgoingDocument, change: Change & { readonly rejection: DocumentRejection }): OutgoingDocument {
  const { code, description } = change.rejection;
  return move(doc, ['Sending'], 'Rejected', change, { kind: 'refusedOnSend', code, description }, { rejection: change.rejection });
}

/** Kept back instead of letting KSeF silently mark it offline; an admin decides. */
export function holdOffline(doc: OutgoingDocument, change: Change & { readonly reason: string }): OutgoingDocument {
  return move(doc, ['Pending'], 'Held', { ...change, note: change.note ?? change.reason }, { kind: 'heldOffline', reason: change.reason }, { heldReason: change.reason });
}

/** Back to Pending; `offlineMode` true sends it declared as offline (offline24). admin-actions.ts words it for the admin. */
export function releaseHeld(doc: OutgoingDocument, change: Change & { readonly offlineMode: boolean }): OutgoingDocument {
  return move(doc, ['Held'], 'Pending', change, { kind: 'released', offlineMode: change.offlineMode }, { heldReason: null, offlineMode: change.offlineMode });
}

/** Links the stored UPO; not a status change, so it leaves the history alone. */
export function attachUpo(doc: OutgoingDocument, upoKey: string, at: string): OutgoingDocument {
  requireAccepted(doc);
  return { ...doc, upoKey, updatedAt: at };
}

/** Starts the note of a no-UPO entry, for people (noUpoReason reads the event). */
const NO_UPO_NOTE = 'no UPO available';

/**
 * Records on an Accepted document that its UPO cannot be fetched, and why, so that process-upo stops
 * asking and the admin reads the reason (noUpoReason) instead of waiting for a UPO that never comes.
 * Not a status change: the entry repeats the status.
 */
export function recordNoUpo(doc: OutgoingDocument, change: Omit<Change, 'note'> & { readonly reason: string }): OutgoingDocument {
  requireAccepted(doc);
  return record(doc, { ...change, note: `${NO_UPO_NOTE}: ${change.reason}` }, { kind: 'noUpo', reason: change.reason });
}

function requireAccepted(doc: OutgoingDocument): void {
  if (doc.status !== 'Accepted') {
    throw new IllegalTransitionError(doc.status, doc.status, `Document '${doc.id}' is ${doc.status}; only an Accepted document has a UPO.`);
  }
}
