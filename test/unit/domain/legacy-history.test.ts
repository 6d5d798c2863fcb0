import { describe, expect, it } from 'vitest';
import {
  eventOfLegacyEntry,
  noUpoReason,
  resendsAfterKsefCancellation,
  returnsAfterFailedSend,
  sendsDespiteOfflineMarking,
  withHistoryEvents,
  type DocumentStatus,
  type HistoryEvent,
  type StoredOutgoingDocument,
  type StoredStatusChange,
} from '../../../functions/domain/documents.js';
import { makeDocument } from '../../helpers/document-factory.js';

/*
 * Every note any version of this system wrote (git log -p functions/domain/documents.ts and the
 * code units), with the event it stands for; and the rules on old histories against the rules as
 * they were, reading the notes.
 */

const S = '20260610-SO-3F2A9C1B7D-8E4F6A2C1B-4A';
const B = '20260610-SB-1A2B3C4D5E-6F7A8B9C0D-7E';
const HASH_A = 'Y29ycmVjdGVkLWNvbnRlbnQ=';
const HASH_B = 'cmVqZWN0ZWQtY29udGVudA==';
const OFFLINE = 'issued 2026-06-09, before the send date 2026-06-10 (Europe/Warsaw): KSeF would mark it offline';
const NO_UPO_REASON = `KSeF took it as a duplicate (440) of 5265877635-20260610-0100001AF629-AF, whose UPO is in the session of the original ${S}, which KSeF refuses to show: HTTP 400 (x)`;

const NOTES: readonly (readonly [DocumentStatus, string | undefined, HistoryEvent])[] = [
  ['Pending', 'submitted', { kind: 'submitted' }],
  [
    'Pending',
    `cancelled by KSeF (550 Operacja została anulowana przez system) in session ${S}; it has no KSeF number, so it goes back to Pending to be sent again (resend 1 of at most 3)`,
    { kind: 'ksefCancelled', code: 550, description: 'Operacja została anulowana przez system', session: S },
  ],
  [
    'Pending',
    `cancelled by KSeF (405 Przetwarzanie anulowane z powodu błędu sesji) in session ${S}; it has no KSeF number, so it goes back to Pending to be sent again (resend 2 of at most 3)`,
    { kind: 'ksefCancelled', code: 405, description: 'Przetwarzanie anulowane z powodu błędu sesji', session: S },
  ],
  // A package KSeF refused as a whole was worded as a cancellation, with the session's status code.
  [
    'Pending',
    `cancelled by KSeF (445 Błąd weryfikacji, brak poprawnych faktur (x)) in session ${B}; it has no KSeF number, so it goes back to Pending to be sent again (resend 1 of at most 3)`,
    { kind: 'packageRefused', code: 445, description: 'Błąd weryfikacji, brak poprawnych faktur (x)', session: B },
  ],
  ['Pending', 'cancelled by KSeF in words no version wrote', { kind: 'ksefCancelled', code: null, description: null, session: null }],
  [
    'Pending',
    `send failed (HTTP 503 (Service Unavailable): try later); it is not in session ${S} (closed), so it never reached KSeF; back to Pending (return 1 of at most 3)`,
    { kind: 'sendFailed', reason: 'HTTP 503 (Service Unavailable): try later', session: S },
  ],
  ['Pending', `released to be sent declared offline (offlineMode, offline24) (held: ${OFFLINE})`, { kind: 'released', offlineMode: true }],
  ['Pending', 'released to be sent declared offline (offlineMode, offline24)', { kind: 'released', offlineMode: true }],
  ['Pending', `released to be sent as a normal invoice, accepting that KSeF marks it offline automatically (held: ${OFFLINE})`, { kind: 'released', offlineMode: false }],
  [
    'Pending',
    `resubmitted after rejection: corrected content (SHA-256 ${HASH_A}) replaces the content rejected with 450 Błąd weryfikacji semantyki dokumentu faktury (SHA-256 ${HASH_B})`,
    { kind: 'resubmitted', contentSha256: HASH_A, replacedSha256: HASH_B },
  ],
  ['Pending', `resubmitted after rejection: corrected content (SHA-256 ${HASH_A}) replaces the content rejected (SHA-256 ${HASH_B})`, { kind: 'resubmitted', contentSha256: HASH_A, replacedSha256: HASH_B }],
  // Returns to Pending of something that never reached KSeF, in every wording they had.
  ['Pending', `not in session ${S} (closed): it never reached KSeF`, { kind: 'notSent', session: S }],
  ['Pending', `not in session ${S} (closed): it never reached KSeF (HTTP 429)`, { kind: 'notSent', session: S }],
  ['Pending', `not in batch session ${B}, which ended with its status final`, { kind: 'notSent', session: B }],
  ['Pending', `batch session ${B} ended with 440 Sesja anulowana without this invoice: it never reached KSeF`, { kind: 'notSent', session: B }],
  ['Pending', 'the batch it went in has an unknown outcome; sent again, KSeF answers 440 if it holds it already', { kind: 'notSent', session: null }],
  ['Pending', 'batch refused: HTTP 400 (Bad Request)', { kind: 'notSent', session: null }],
  ['Pending', 'the batch session was not opened (HTTP 500); nothing was sent', { kind: 'notSent', session: null }],
  [
    'Pending',
    'the answer to opening the batch session was lost (ECONNRESET); no part was uploaded and no close sent, so KSeF processes nothing (a session it opened is cancelled, 440)',
    { kind: 'notSent', session: null },
  ],
  ['Pending', `batch session ${B} was opened but not closed (ECONNRESET); KSeF processes a batch only after its close, so it cancels this one (440)`, { kind: 'notSent', session: B }],
  ['Pending', 'batch session  was opened but not closed (ECONNRESET); KSeF processes a batch only after its close, so it cancels this one (440)', { kind: 'notSent', session: null }],
  ['Pending', `KSeF refused to close batch session ${B} (HTTP 400: 21208); nothing of it is processed`, { kind: 'notSent', session: B }],
  ['Pending', 'its batch was settled as never processed (no status)', { kind: 'notSent', session: null }],
  [
    'Pending',
    'the run that put it in a batch stopped before KSeF opened the session: no part was uploaded and no close sent, so nothing of it reached KSeF',
    { kind: 'notSent', session: null },
  ],
  ['Pending', `batch session ${B} was never closed and its upload window has passed, so KSeF can no longer process it`, { kind: 'notSent', session: B }],
  ['Pending', undefined, { kind: 'notSent', session: null }],
  ['Held', OFFLINE, { kind: 'heldOffline', reason: OFFLINE }],
  [
    'Held',
    'sending failed 4 times in a row (last: HTTP 503 (Service Unavailable)); it is not in KSeF. Held so that the other invoices are sent: check it, then release it',
    { kind: 'heldAfterFailedSends', failures: 4, lastReason: 'HTTP 503 (Service Unavailable)' },
  ],
  ['Sending', undefined, { kind: 'sending', session: null, batch: false, offlineMode: false }],
  ['Sending', 'in a batch session', { kind: 'sending', session: null, batch: true, offlineMode: false }],
  ['Sending', 'sent declared offline (offlineMode): its issue date is before the send date', { kind: 'sending', session: null, batch: false, offlineMode: true }],
  ['Sent', undefined, { kind: 'sent', session: null, invoiceReferenceNumber: null, foundByHash: false }],
  ['Sent', 'response lost; found in the session by its hash', { kind: 'sent', session: null, invoiceReferenceNumber: null, foundByHash: true }],
  ['Sent', 'found in the session by its hash after an unknown outcome', { kind: 'sent', session: null, invoiceReferenceNumber: null, foundByHash: true }],
  ['Accepted', undefined, { kind: 'accepted', ksefNumber: null }],
  ['Accepted', 'KSeF already held this invoice (440); the original has the same hash', { kind: 'duplicateReconciled', originalKsefNumber: null }],
  ['Accepted', `no UPO available: ${NO_UPO_REASON}`, { kind: 'noUpo', reason: NO_UPO_REASON }],
  ['Rejected', 'refused on send', { kind: 'refusedOnSend', code: null, description: null }],
  ['Rejected', 'KSeF 450: Błąd weryfikacji semantyki dokumentu faktury', { kind: 'rejected', code: 450, description: 'Błąd weryfikacji semantyki dokumentu faktury' }],
  [
    'Rejected',
    'KSeF cancelled this invoice 4 times (last: 550 Operacja została anulowana przez system); it was sent again 3 times and is not retried any more',
    { kind: 'resendsExhausted', code: 550, description: 'Operacja została anulowana przez system', resends: 3, after: 'ksefCancelled' },
  ],
  [
    'Rejected',
    'KSeF cancelled this invoice 4 times (last: 415 Błąd odszyfrowania dostarczonego klucza); it was sent again 3 times and is not retried any more',
    { kind: 'resendsExhausted', code: 415, description: 'Błąd odszyfrowania dostarczonego klucza', resends: 3, after: 'packageRefused' },
  ],
  ['Rejected', 'rejected by KSeF', { kind: 'rejected', code: null, description: null }],
  ['Rejected', undefined, { kind: 'rejected', code: null, description: null }],
];

describe('the event of a history entry stored before events existed', () => {
  it.each(NOTES)('%s with the note "%s" is read as its event', (status, note, event) => {
    // Act
    const read = eventOfLegacyEntry(note === undefined ? { status } : { status, note });
    // Assess
    expect(read).toEqual(event);
  });

  it('a stored document gets the events of its old entries and keeps every other field; one with events is returned as it is', () => {
    // Prepare
    const current = makeDocument();
    const stored: StoredOutgoingDocument = { ...current, history: [{ status: 'Pending', at: current.createdAt, by: current.submittedBy, note: 'submitted' }] };
    // Act
    const upgraded = withHistoryEvents(stored);
    // Assess
    expect(upgraded).toEqual(current);
    expect(withHistoryEvents(current)).toBe(current);
  });
});

/** The rules as they were before events (functions/domain/documents.ts at bcd35c9), reading the notes. */
const before = {
  since(history: readonly StoredStatusChange[]): readonly StoredStatusChange[] {
    const last = history.findLastIndex((e) => e.status === 'Pending' && e.note?.startsWith('resubmitted after rejection') === true);
    return last < 0 ? history : history.slice(last + 1);
  },
  resends(history: readonly StoredStatusChange[]): number {
    return before.since(history).filter((e) => e.status === 'Pending' && e.note?.startsWith('cancelled by KSeF') === true).length;
  },
  returns(history: readonly StoredStatusChange[]): number {
    const since = before.since(history);
    const lastHeld = since.findLastIndex((e) => e.status === 'Held');
    return since.slice(lastHeld + 1).filter((e) => e.status === 'Pending' && e.note?.startsWith('send failed') === true).length;
  },
  sendsDespite(history: readonly StoredStatusChange[], offlineMode: boolean): boolean {
    if (offlineMode) return false;
    for (const e of [...history].reverse()) {
      if (e.status === 'Held') return false;
      if (e.status !== 'Pending') continue;
      if (e.note?.startsWith('resubmitted after rejection') === true) return false;
      if (e.note?.startsWith('released to be sent as a normal invoice') === true) return true;
    }
    return false;
  },
  noUpo(history: readonly StoredStatusChange[]): string | null {
    return history.findLast((e) => e.note?.startsWith('no UPO available: ') === true)?.note?.slice('no UPO available: '.length) ?? null;
  },
};

/** A small deterministic generator (mulberry32), so that a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the rules on histories stored before events', () => {
  it('give the answers the note-reading rules gave, on 2,000 random histories of every old entry', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      // Prepare
      const next = random(seed);
      const history: StoredStatusChange[] = Array.from({ length: 1 + Math.floor(next() * 14) }, (_, i) => {
        const [status, note] = NOTES[Math.floor(next() * NOTES.length)] as (typeof NOTES)[number];
        return { status, at: `2026-06-10T08:${String(i).padStart(2, '0')}:00.000Z`, by: 'someone', ...(note === undefined ? {} : { note }) };
      });
      const offlineMode = next() < 0.2;
      // Act
      const doc = withHistoryEvents({ ...makeDocument(), offlineMode, history });
      // Assess
      const now = [resendsAfterKsefCancellation(doc), returnsAfterFailedSend(doc), sendsDespiteOfflineMarking(doc), noUpoReason(doc)];
      const then = [before.resends(history), before.returns(history), before.sendsDespite(history, offlineMode), before.noUpo(history)];
      expect(now, `seed ${seed}`).toEqual(then);
    }
  });
});
