import type { OutgoingDocument, StatusChange } from './model.js';

/*
 * What happened to a document, as data. Every history entry carries one event; every rule that
 * looks back at the history (how often KSeF declined it, whether an admin released it, since when
 * its content is new, why it has no UPO) reads events, never the note, which is for people.
 *
 * A field typed `… | null` is null only on an entry stored before events existed whose note did
 * not carry that fact (legacy-history.ts gives such entries their events); entries written now
 * always have it. The API shows the events as they are (api/openapi/history-event-schema.ts).
 */

/** A KSeF session: an online session's KSeF reference, or a batch's local id until KSeF names it. */
type Session = string | null;

export type HistoryEvent =
  /** POST /documents stored it (Pending). */
  | { readonly kind: 'submitted' }
  /** The intent, stored before the invoice leaves (Sending). */
  | { readonly kind: 'sending'; readonly session: Session; readonly batch: boolean; readonly offlineMode: boolean }
  /** KSeF took it into the session and named it (Sent); `foundByHash` when the send's answer was lost and the session's list showed it. */
  | { readonly kind: 'sent'; readonly session: Session; readonly invoiceReferenceNumber: string | null; readonly foundByHash: boolean }
  /** KSeF gave it a KSeF number (Accepted). */
  | { readonly kind: 'accepted'; readonly ksefNumber: string | null }
  /** KSeF answered 440 and the original has the same hash: that one is this one (Accepted). */
  | { readonly kind: 'duplicateReconciled'; readonly originalKsefNumber: string | null }
  /** KSeF processed and rejected it (Rejected). */
  | { readonly kind: 'rejected'; readonly code: number | null; readonly description: string | null }
  /** KSeF refused the invoice when it was sent (a 4xx about the invoice itself; Rejected). */
  | { readonly kind: 'refusedOnSend'; readonly code: number | null; readonly description: string | null }
  /** KSeF cancelled the invoice (405, 550) without a KSeF number: back to Pending to be sent again. */
  | { readonly kind: 'ksefCancelled'; readonly code: number | null; readonly description: string | null; readonly session: Session }
  /** KSeF refused the batch package it went in as a whole (415, 430, 435, 445 …): back to Pending to be sent again. */
  | { readonly kind: 'packageRefused'; readonly code: number; readonly description: string; readonly session: Session }
  /** Declined once more after the resends allowed (see resendsAfterKsefCancellation): Rejected. */
  | { readonly kind: 'resendsExhausted'; readonly code: number; readonly description: string; readonly resends: number; readonly after: 'ksefCancelled' | 'packageRefused' }
  /** Back to Pending: it is proven that nothing of it reached KSeF (a session never opened, a batch never closed …). */
  | { readonly kind: 'notSent'; readonly session: Session }
  /** Its send failed for a reason of its own and it is not in its closed session: back to Pending, counted. */
  | { readonly kind: 'sendFailed'; readonly reason: string; readonly session: Session }
  /** Its send failed too many times in a row: Held for an admin. */
  | { readonly kind: 'heldAfterFailedSends'; readonly failures: number; readonly lastReason: string }
  /** KSeF would mark it offline (issued before the send day): Held for an admin. */
  | { readonly kind: 'heldOffline'; readonly reason: string }
  /** An admin released it (POST /documents/{id}/release): Pending, declared offline or as it is. */
  | { readonly kind: 'released'; readonly offlineMode: boolean }
  /** Corrected content replaced a Rejected document's: Pending, the counts start again. */
  | { readonly kind: 'resubmitted'; readonly contentSha256: string | null; readonly replacedSha256: string | null }
  /** An Accepted document will get no UPO (recorded at Accepted, not a status change). */
  | { readonly kind: 'noUpo'; readonly reason: string };

export type HistoryEventKind = HistoryEvent['kind'];

/** What an event means to the rules below; `null`: nothing (it is only told). */
type RuleMark = 'resend' | 'failedSendReturn' | 'hold' | 'releasedAsIs' | 'contentReplaced' | 'noUpo' | null;

function ruleMarkOf(event: HistoryEvent): RuleMark {
  switch (event.kind) {
    case 'ksefCancelled':
    case 'packageRefused':
      return 'resend';
    case 'sendFailed':
      return 'failedSendReturn';
    case 'heldOffline':
    case 'heldAfterFailedSends':
      return 'hold';
    case 'released':
      return event.offlineMode ? null : 'releasedAsIs';
    case 'resubmitted':
      return 'contentReplaced';
    case 'noUpo':
      return 'noUpo';
    case 'submitted':
    case 'sending':
    case 'sent':
    case 'accepted':
    case 'duplicateReconciled':
    case 'rejected':
    case 'refusedOnSend':
    case 'resendsExhausted':
    case 'notSent':
      return null;
    default:
      return unknownEvent(event);
  }
}

function unknownEvent(event: never): never {
  throw new TypeError(`Unknown history event ${JSON.stringify(event)}.`);
}

type History = Pick<OutgoingDocument, 'history'>;

/** The history since the content was last replaced (all of it when it never was): corrected content starts with a clean slate. */
export function historySinceResubmission(doc: History): readonly StatusChange[] {
  const last = doc.history.findLastIndex((entry) => ruleMarkOf(entry.event) === 'contentReplaced');
  return last < 0 ? doc.history : doc.history.slice(last + 1);
}

/**
 * How many times the document went back to Pending to be sent again because KSeF declined it
 * without a KSeF number: an invoice KSeF cancelled (405/550) and a batch package KSeF refused as a
 * whole count alike, against one limit. Counted since the last resubmission.
 */
export function resendsAfterKsefCancellation(doc: History): number {
  return historySinceResubmission(doc).filter((entry) => ruleMarkOf(entry.event) === 'resend').length;
}

/**
 * How many times the document went back to Pending after a failed send since it was last Held or
 * resubmitted (an admin's release or corrected content starts the count again).
 */
export function returnsAfterFailedSend(doc: History): number {
  const history = historySinceResubmission(doc);
  const lastHeld = history.findLastIndex((entry) => ruleMarkOf(entry.event) === 'hold');
  return history.slice(lastHeld + 1).filter((entry) => ruleMarkOf(entry.event) === 'failedSendReturn').length;
}

/**
 * True when an admin released the document to go as a normal invoice since it was last held (and
 * its content has not been replaced since): the sender must send it, not hold it again.
 */
export function sendsDespiteOfflineMarking(doc: Pick<OutgoingDocument, 'history' | 'offlineMode'>): boolean {
  if (doc.offlineMode) return false;
  for (let i = doc.history.length - 1; i >= 0; i--) {
    const mark = ruleMarkOf((doc.history[i] as StatusChange).event);
    if (mark === 'hold' || mark === 'contentReplaced') return false;
    if (mark === 'releasedAsIs') return true;
  }
  return false;
}

/** Why the document will get no UPO, or null while none was recorded. */
export function noUpoReason(doc: History): string | null {
  const event = doc.history.findLast((entry) => ruleMarkOf(entry.event) === 'noUpo')?.event;
  return event?.kind === 'noUpo' ? event.reason : null;
}
