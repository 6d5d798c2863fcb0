import { IllegalTransitionError } from '../errors.js';
import type { HistoryEvent } from './history-events.js';
import type { DocumentStatus, OutgoingDocument, StatusChange } from './model.js';

/*
 * The one way a document changes status, shared by the modules of this folder (not re-exported by
 * documents.ts: outside the domain a document moves only through the named transitions).
 */

/** Who moves the document and when; `note` lands in the history, for people. */
export interface Change {
  readonly at: string;
  readonly by: string;
  readonly note?: string;
}

/** What a document that KSeF has not seen yet holds: a new one, and a rejected one whose content was replaced. */
export const NOTHING_SENT_YET = {
  offlineMode: false,
  heldReason: null,
  sessionReferenceNumber: null,
  invoiceReferenceNumber: null,
  ksefNumber: null,
  acquisitionDate: null,
  duplicateOf: null,
  rejection: null,
  upoKey: null,
} as const satisfies Partial<OutgoingDocument>;

export function historyEntry(status: DocumentStatus, change: Change, event: HistoryEvent): StatusChange {
  const entry = { status, at: change.at, by: change.by, event };
  return change.note === undefined ? entry : { ...entry, note: change.note };
}

/** Moves `doc` to `to` if its status is one of `allowed`, recording `event` (and the change's note) in its history. */
export function move(
  doc: OutgoingDocument,
  allowed: readonly DocumentStatus[],
  to: DocumentStatus,
  change: Change,
  event: HistoryEvent,
  patch: Partial<OutgoingDocument>,
): OutgoingDocument {
  if (!allowed.includes(doc.status)) {
    throw new IllegalTransitionError(doc.status, to, `Document '${doc.id}' is ${doc.status}; it can become ${to} only from ${allowed.join(' or ')}.`);
  }
  return { ...doc, ...patch, status: to, updatedAt: change.at, history: [...doc.history, historyEntry(to, change, event)] };
}

/** A fact recorded at the document's current status (not a status change), e.g. that it will get no UPO. */
export function record(doc: OutgoingDocument, change: Change, event: HistoryEvent): OutgoingDocument {
  return { ...doc, updatedAt: change.at, history: [...doc.history, historyEntry(doc.status, change, event)] };
}
