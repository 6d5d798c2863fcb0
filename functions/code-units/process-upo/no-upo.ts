import type { Change, OutgoingDocument } from '../../domain/documents.js';
import { IllegalTransitionError } from '../../domain/errors.js';

/** Starts the history note that says an Accepted document will get no UPO; `noUpoReason` reads it back. */
const NO_UPO_NOTE = 'no UPO available';

/**
 * Records on an Accepted document that its UPO cannot be fetched, and why, so that process-upo stops
 * asking and the admin reads the reason in its history instead of a UPO that never comes. Not a
 * status change: the entry repeats the status.
 */
export function recordNoUpo(doc: OutgoingDocument, change: Omit<Change, 'note'> & { readonly reason: string }): OutgoingDocument {
  if (doc.status !== 'Accepted') {
    throw new IllegalTransitionError(doc.status, doc.status, `Document '${doc.id}' is ${doc.status}; only an Accepted document has a UPO.`);
  }
  const entry = { status: doc.status, at: change.at, by: change.by, note: `${NO_UPO_NOTE}: ${change.reason}` };
  return { ...doc, updatedAt: change.at, history: [...doc.history, entry] };
}

/** Why the document will get no UPO, or null while none was recorded. */
export function noUpoReason(doc: Pick<OutgoingDocument, 'history'>): string | null {
  const entry = doc.history.findLast((e) => e.note?.startsWith(`${NO_UPO_NOTE}: `) === true);
  return entry?.note?.slice(NO_UPO_NOTE.length + 2) ?? null;
}
