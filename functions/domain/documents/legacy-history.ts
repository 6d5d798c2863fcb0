import { isReferenceNumberShape } from '../ksef-number.js';
import type { HistoryEvent } from './history-events.js';
import type { OutgoingDocument, StatusChange } from './model.js';
import { isKsefResendCode } from './resend-rules.js';

/*
 * History entries stored before events existed carry only a status and a note. Their event is read
 * from the note's words, as every version of this system wrote them (the rules then read those
 * words themselves), so that the rules give the same answers on old documents as they did:
 * - the DynamoDB repository upgrades such entries on every read, so nothing depends on the
 *   migration (use-cases/migrate-document-history.ts) having finished;
 * - the migration stores the same events, so that one day the words need not be read at all.
 * Each status falls back to the one event its writers other than the recognised ones always meant
 * (a Pending entry not otherwise recognised was a return to Pending of something never sent, a Held
 * one an offline hold …), so every entry gets an event, and the rules count only what they did.
 */

export type StoredStatusChange = Omit<StatusChange, 'event'> & { readonly event?: HistoryEvent };
export type StoredOutgoingDocument = Omit<OutgoingDocument, 'history'> & { readonly history: readonly StoredStatusChange[] };

/** The words the rules once read back, as they were written (functions/domain/documents.ts before events). */
const CANCELLED = /^cancelled by KSeF \((\d+) (.*)\) in session (\S+); /s;
const FAILED_SEND = /^send failed \((.*)\); it is not in session (\S+) \(closed\), so it never reached KSeF/s;
const RESUBMITTED = /^resubmitted after rejection: corrected content \(SHA-256 (\S+)\) replaces the content .* \(SHA-256 (\S+)\)$/s;
const RESENDS_EXHAUSTED = /^KSeF cancelled this invoice \d+ times \(last: (\d+) (.*)\); it was sent again (\d+) times and is not retried any more$/s;
const HELD_AFTER_FAILURES = /^sending failed (\d+) times in a row \(last: (.*)\); it is not in KSeF\. Held so that the other invoices are sent/s;
const KSEF_REJECTION = /^KSeF (\d+): (.*)$/s;
const NO_UPO = 'no UPO available: ';

/** The event an entry written before events existed stands for, read from its status and note. */
export function eventOfLegacyEntry(entry: Pick<StatusChange, 'status' | 'note'>): HistoryEvent {
  const note = entry.note ?? '';
  switch (entry.status) {
    case 'Pending':
      return pendingEvent(note);
    case 'Held':
      return heldEvent(note);
    case 'Sending':
      return { kind: 'sending', session: null, batch: note === 'in a batch session', offlineMode: note.startsWith('sent declared offline') };
    case 'Sent':
      return { kind: 'sent', session: null, invoiceReferenceNumber: null, foundByHash: note.includes('found in the session by its hash') };
    case 'Accepted':
      if (note.startsWith(NO_UPO)) return { kind: 'noUpo', reason: note.slice(NO_UPO.length) };
      if (note.startsWith('KSeF already held this invoice (440)')) return { kind: 'duplicateReconciled', originalKsefNumber: null };
      return { kind: 'accepted', ksefNumber: null };
    case 'Rejected':
      return rejectedEvent(note);
    default:
      return unknownStatus(entry.status);
  }
}

function pendingEvent(note: string): HistoryEvent {
  if (note === 'submitted') return { kind: 'submitted' };
  if (note.startsWith('cancelled by KSeF')) {
    const [, code, description = '', session = null] = CANCELLED.exec(note) ?? [];
    if (code === undefined) return { kind: 'ksefCancelled', code: null, description: null, session: null };
    // A batch package KSeF refused as a whole was worded as a cancellation, with the package's status code.
    if (isKsefResendCode(Number(code))) return { kind: 'ksefCancelled', code: Number(code), description, session };
    return { kind: 'packageRefused', code: Number(code), description, session };
  }
  if (note.startsWith('send failed')) {
    const [, reason, session = null] = FAILED_SEND.exec(note) ?? [];
    return { kind: 'sendFailed', reason: reason ?? note, session };
  }
  if (note.startsWith('released to be sent declared offline')) return { kind: 'released', offlineMode: true };
  if (note.startsWith('released to be sent as a normal invoice')) return { kind: 'released', offlineMode: false };
  if (note.startsWith('resubmitted after rejection')) {
    const [, contentSha256 = null, replacedSha256 = null] = RESUBMITTED.exec(note) ?? [];
    return { kind: 'resubmitted', contentSha256, replacedSha256 };
  }
  return { kind: 'notSent', session: sessionNamedIn(note) };
}

function heldEvent(note: string): HistoryEvent {
  const [, failures, lastReason] = HELD_AFTER_FAILURES.exec(note) ?? [];
  if (failures !== undefined && lastReason !== undefined) return { kind: 'heldAfterFailedSends', failures: Number(failures), lastReason };
  return { kind: 'heldOffline', reason: note };
}

function rejectedEvent(note: string): HistoryEvent {
  if (note === 'refused on send') return { kind: 'refusedOnSend', code: null, description: null };
  const exhausted = RESENDS_EXHAUSTED.exec(note);
  if (exhausted !== null) {
    const [, code, description = '', resends] = exhausted;
    return { kind: 'resendsExhausted', code: Number(code), description, resends: Number(resends), after: isKsefResendCode(Number(code)) ? 'ksefCancelled' : 'packageRefused' };
  }
  const [, code, description = null] = KSEF_REJECTION.exec(note) ?? [];
  return { kind: 'rejected', code: code === undefined ? null : Number(code), description };
}

/** The KSeF session a return-to-Pending note names, if any ("not in session …", "batch session … ended …"). */
function sessionNamedIn(note: string): string | null {
  for (const match of note.matchAll(/\bsession (\S+?)(?=[\s,;:)]|$)/g)) {
    const candidate = match[1] ?? '';
    if (isReferenceNumberShape(candidate)) return candidate;
  }
  return null;
}

function unknownStatus(status: never): never {
  throw new TypeError(`Unknown document status ${JSON.stringify(status)}.`);
}

/** True when some entry of the stored history was written before events existed. */
export function needsHistoryEvents(history: readonly StoredStatusChange[]): boolean {
  return history.some((entry) => entry.event === undefined);
}

/** The stored history with every entry's event: its own, or the one its note stands for. */
export function historyWithEvents(history: readonly StoredStatusChange[]): readonly StatusChange[] {
  return history.map((entry) => (entry.event === undefined ? { ...entry, event: eventOfLegacyEntry(entry) } : (entry as StatusChange)));
}

/** A stored document as the domain knows it: entries written before events existed get theirs. */
export function withHistoryEvents(doc: StoredOutgoingDocument): OutgoingDocument {
  if (!needsHistoryEvents(doc.history)) return doc as OutgoingDocument;
  return { ...doc, history: historyWithEvents(doc.history) };
}
