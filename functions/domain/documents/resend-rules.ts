import { resendsAfterKsefCancellation, returnsAfterFailedSend } from './history-events.js';
import type { DocumentRejection, OutgoingDocument } from './model.js';
import { move, type Change } from './transition.js';

/*
 * When a document goes back to Pending to be sent again, and when it stops doing so: each rule
 * counts its own events in the history (history-events.ts) and is bounded, so that an invoice KSeF
 * never takes cannot loop forever.
 */

/**
 * KSeF invoice statuses that mean "not processed, send it again" (README §4): 405 processing
 * cancelled because the session failed, 550 cancelled by the system. Neither gives a KSeF number.
 */
export const KSEF_RESEND_CODES: readonly number[] = [405, 550];

/**
 * How many times a document KSeF keeps declining (cancelling it, or refusing the package it went
 * in) is sent again before it is recorded Rejected.
 */
export const MAX_RESENDS_AFTER_KSEF_CANCELLATION = 3;

export function isKsefResendCode(code: number): boolean {
  return KSEF_RESEND_CODES.includes(code);
}

interface Declined {
  readonly ksefStatus: DocumentRejection;
  readonly sessionReferenceNumber: string;
  readonly maxResends?: number;
}

/**
 * KSeF cancelled the invoice (405/550) without giving it a KSeF number: back to Pending so that it
 * is sent again, up to `maxResends` times; the next cancellation is recorded as a rejection that
 * says how often it was retried. If KSeF did keep it after all, the resend comes back as a 440
 * whose hash matches, and is reconciled.
 */
export function afterKsefCancellation(doc: OutgoingDocument, change: Change & Declined): OutgoingDocument {
  return afterKsefDeclined(doc, change, 'ksefCancelled');
}

/**
 * KSeF refused the batch package the invoice went in as a whole (415 key, 430 decompression, 435
 * decryption, 445 no valid invoices, …): nothing of it was processed, so it goes back to be sent
 * again like an invoice KSeF cancelled, within the same limit; KSeF's code and description are in
 * its history, and in its rejection once the limit is reached.
 */
export function afterPackageRefused(doc: OutgoingDocument, change: Change & Declined): OutgoingDocument {
  return afterKsefDeclined(doc, change, 'packageRefused');
}

function afterKsefDeclined(doc: OutgoingDocument, change: Change & Declined, how: 'ksefCancelled' | 'packageRefused'): OutgoingDocument {
  const { code, description, details } = change.ksefStatus;
  const session = change.sessionReferenceNumber;
  const limit = change.maxResends ?? MAX_RESENDS_AFTER_KSEF_CANCELLATION;
  const resends = resendsAfterKsefCancellation(doc);
  if (resends < limit) {
    const what = how === 'ksefCancelled' ? `cancelled by KSeF (${code} ${description})` : `batch package refused by KSeF (${code} ${description})`;
    const note = `${what} in session ${session}; it has no KSeF number, so it goes back to Pending to be sent again (resend ${resends + 1} of at most ${limit})`;
    const event = how === 'ksefCancelled' ? ({ kind: 'ksefCancelled', code, description, session } as const) : ({ kind: 'packageRefused', code, description, session } as const);
    return move(doc, ['Sending', 'Sent'], 'Pending', { ...change, note }, event, { sessionReferenceNumber: null, invoiceReferenceNumber: null });
  }
  const declined = how === 'ksefCancelled' ? 'KSeF cancelled this invoice' : 'KSeF refused the batch package of this invoice';
  const reason = `${declined} ${resends + 1} times (last: ${code} ${description}); it was sent again ${resends} times and is not retried any more`;
  return move(doc, ['Sending', 'Sent'], 'Rejected', { ...change, note: reason }, { kind: 'resendsExhausted', code, description, resends, after: how }, {
    rejection: { code, description, details: [...details, reason] },
  });
}

/**
 * How many times an invoice whose send failed (5xx, lost response, a 4xx that is not a refusal of
 * the invoice) and that was then proven absent from its closed session goes back to Pending before
 * it is Held for an admin instead: the oldest Pending invoice is sent first, so one KSeF never takes
 * would otherwise be the first of every run, and its history would grow by two entries a run.
 */
export const MAX_RETURNS_AFTER_FAILED_SEND = 3;

/**
 * Sending the invoice failed with `reason`, and it is proven not in KSeF (absent from its closed
 * session): back to Pending with the reason, up to `maxReturns` times since it was last Held; the
 * next one is Held with the reason, so that the rest of the backlog is sent and an admin can look
 * at it and release it.
 */
export function afterFailedSend(
  doc: OutgoingDocument,
  change: Change & { readonly reason: string; readonly sessionReferenceNumber: string; readonly maxReturns?: number },
): OutgoingDocument {
  const limit = change.maxReturns ?? MAX_RETURNS_AFTER_FAILED_SEND;
  const returns = returnsAfterFailedSend(doc);
  const session = change.sessionReferenceNumber;
  const what = `send failed (${change.reason}); it is not in session ${session} (closed), so it never reached KSeF`;
  const cleared = { sessionReferenceNumber: null, invoiceReferenceNumber: null };
  if (returns < limit) {
    const note = `${what}; back to Pending (return ${returns + 1} of at most ${limit})`;
    return move(doc, ['Sending'], 'Pending', { ...change, note }, { kind: 'sendFailed', reason: change.reason, session }, cleared);
  }
  const reason = `sending failed ${returns + 1} times in a row (last: ${change.reason}); it is not in KSeF. Held so that the other invoices are sent: check it, then release it`;
  return move(doc, ['Sending'], 'Held', { ...change, note: reason }, { kind: 'heldAfterFailedSends', failures: returns + 1, lastReason: change.reason }, { ...cleared, heldReason: reason });
}
