import { IllegalTransitionError } from './errors.js';

/*
 * Outgoing (sales) documents: FA(3) invoices this system sends to KSeF, their life cycle and the
 * order in which they may be sent. Pure: timestamps come in as ISO strings from the caller's clock.
 *
 * Life cycle (every move is conditional on the current status; history keeps each one):
 *
 *   Pending ──moveToSending──▶ Sending ──recordSent──▶ Sent ──recordAccepted──▶ Accepted
 *      ▲  │                      │  │                    └──recordRejected──▶ Rejected
 *      │  └──holdOffline──▶ Held │  └──returnToPending (nothing reached KSeF) ──▶ Pending
 *      └────releaseHeld──────────┘
 *   Sending may also go straight to Accepted/Rejected: a lost response reconciled by hash.
 *   Sending/Sent ──afterKsefCancellation (405/550)──▶ Pending, to be sent again; Rejected past the limit.
 *   Sending ──afterFailedSend (5xx, lost response; proven absent)──▶ Pending again; Held past the limit.
 *   A 440 duplicate whose hash matches the original is Accepted with `duplicateOf` set.
 */

export const DOCUMENT_STATUSES = ['Pending', 'Held', 'Sending', 'Sent', 'Accepted', 'Rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const INVOICE_TYPES = ['VAT', 'KOR', 'ZAL', 'ROZ', 'UPR', 'KOR_ZAL', 'KOR_ROZ'] as const;
/** `Fa/RodzajFaktury` of FA(3). */
export type InvoiceType = (typeof INVOICE_TYPES)[number];
export const CORRECTING_INVOICE_TYPES: readonly InvoiceType[] = ['KOR', 'KOR_ZAL', 'KOR_ROZ'];

/** The buyer (Podmiot2) as FA(3) identifies it: a NIP, an EU VAT number, another tax id, or none. */
export interface BuyerIdentifier {
  readonly type: 'Nip' | 'VatUe' | 'Other' | 'None';
  /** NIP, `<KodUE><NrVatUE>`, `<KodKraju?><NrID>`; null for None. */
  readonly value: string | null;
}

/** One invoice a correcting invoice corrects (`Fa/DaneFaKorygowanej`). */
export interface CorrectedInvoiceRef {
  readonly invoiceNumber: string;
  readonly issueDate: string;
  /** KSeF number of the corrected invoice when the correction names it (`NrKSeFFaKorygowanej`). */
  readonly ksefNumber: string | null;
  /** True when the corrected invoice was issued outside KSeF (`NrKSeFN`): nothing to wait for. */
  readonly outsideKsef: boolean;
}

/** What the system reads from an FA(3) invoice (the parser in adapters/xml fills it). */
export interface InvoiceFields {
  readonly sellerNip: string;
  readonly sellerName: string | null;
  readonly buyer: BuyerIdentifier;
  readonly buyerName: string | null;
  readonly invoiceType: InvoiceType;
  /** `Fa/P_2` */
  readonly invoiceNumber: string;
  /** `Fa/P_1`, YYYY-MM-DD */
  readonly issueDate: string;
  /** `Fa/KodWaluty` */
  readonly currency: string;
  /** Decimal strings with two places: the sum of P_13_*, the sum of P_14_*, P_15. */
  readonly netAmount: string;
  readonly vatAmount: string;
  readonly grossAmount: string;
  /** The invoices it corrects; empty unless the invoice type is a correcting one. */
  readonly corrects: readonly CorrectedInvoiceRef[];
}

/** Uniqueness of an outgoing invoice: KSeF itself refuses a second one with the same three (440). */
export interface DocumentBusinessKey {
  readonly sellerNip: string;
  readonly invoiceType: InvoiceType;
  readonly invoiceNumber: string;
}

export interface DocumentRejection {
  readonly code: number;
  readonly description: string;
  readonly details: readonly string[];
}

export interface StatusChange {
  readonly status: DocumentStatus;
  readonly at: string;
  /** Who or what made the change: the submitting admin, or the code unit's name. */
  readonly by: string;
  readonly note?: string;
}

export interface OutgoingDocument {
  readonly id: string;
  readonly key: DocumentBusinessKey;
  readonly fields: InvoiceFields;
  /** Base64 SHA-256 of the XML bytes exactly as stored and sent: KSeF's `invoiceHash`. */
  readonly contentSha256: string;
  readonly sizeBytes: number;
  /** Where the XML is in the DocumentStore. */
  readonly xmlKey: string;
  readonly status: DocumentStatus;
  /** Send with `offlineMode: true` (set when an admin releases a held invoice as offline). */
  readonly offlineMode: boolean;
  /** Why the document is Held, e.g. the issue date is before the send date (KSeF would mark it offline). */
  readonly heldReason: string | null;
  readonly sessionReferenceNumber: string | null;
  readonly invoiceReferenceNumber: string | null;
  readonly ksefNumber: string | null;
  readonly acquisitionDate: string | null;
  /** KSeF answered 440 (duplicate) and the hash matched: the original's KSeF number was taken over. */
  readonly duplicateOf: { readonly ksefNumber: string; readonly sessionReferenceNumber: string | null } | null;
  readonly rejection: DocumentRejection | null;
  readonly upoKey: string | null;
  readonly history: readonly StatusChange[];
  readonly submittedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Starts at 1; the repository increments it on every conditional update. */
  readonly version: number;
}

export function businessKeyOf(fields: Pick<InvoiceFields, 'sellerNip' | 'invoiceType' | 'invoiceNumber'>): DocumentBusinessKey {
  return { sellerNip: fields.sellerNip, invoiceType: fields.invoiceType, invoiceNumber: fields.invoiceNumber };
}

export function sameBusinessKey(a: DocumentBusinessKey, b: DocumentBusinessKey): boolean {
  return a.sellerNip === b.sellerNip && a.invoiceType === b.invoiceType && a.invoiceNumber === b.invoiceNumber;
}

/** What a document that KSeF has not seen yet holds: a new one, and a rejected one whose content was replaced. */
const NOTHING_SENT_YET = {
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

/** Why a second submission of a key with different content is refused (409). */
export function keyTakenMessage(key: DocumentBusinessKey): string {
  return `Invoice ${key.invoiceType} '${key.invoiceNumber}' of seller ${key.sellerNip} was already submitted with different content.`;
}

export function isCorrectingInvoice(fields: Pick<InvoiceFields, 'invoiceType'>): boolean {
  return CORRECTING_INVOICE_TYPES.includes(fields.invoiceType);
}

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
    history: [{ status: 'Pending', at: input.at, by: input.submittedBy, note: 'submitted' }],
    submittedBy: input.submittedBy,
    createdAt: input.at,
    updatedAt: input.at,
    version: 1,
  };
}

/** Who moves the document and when; `note` lands in the history. */
export interface Change {
  readonly at: string;
  readonly by: string;
  readonly note?: string;
}

function move(doc: OutgoingDocument, allowed: readonly DocumentStatus[], to: DocumentStatus, change: Change, patch: Partial<OutgoingDocument>): OutgoingDocument {
  if (!allowed.includes(doc.status)) {
    throw new IllegalTransitionError(doc.status, to, `Document '${doc.id}' is ${doc.status}; it can become ${to} only from ${allowed.join(' or ')}.`);
  }
  const entry: StatusChange = change.note === undefined ? { status: to, at: change.at, by: change.by } : { status: to, at: change.at, by: change.by, note: change.note };
  return { ...doc, ...patch, status: to, updatedAt: change.at, history: [...doc.history, entry] };
}

/** Intent before the side effect: persist this (conditionally) before the invoice leaves. */
export function moveToSending(doc: OutgoingDocument, change: Change & { readonly sessionReferenceNumber: string }): OutgoingDocument {
  return move(doc, ['Pending'], 'Sending', change, { sessionReferenceNumber: change.sessionReferenceNumber, rejection: null });
}

export function recordSent(doc: OutgoingDocument, change: Change & { readonly sessionReferenceNumber: string; readonly invoiceReferenceNumber: string }): OutgoingDocument {
  return move(doc, ['Sending'], 'Sent', change, {
    sessionReferenceNumber: change.sessionReferenceNumber,
    invoiceReferenceNumber: change.invoiceReferenceNumber,
  });
}

/** Only when it is certain that nothing reached KSeF (e.g. the session never opened). */
export function returnToPending(doc: OutgoingDocument, change: Change): OutgoingDocument {
  return move(doc, ['Sending'], 'Pending', change, { sessionReferenceNumber: null, invoiceReferenceNumber: null });
}

export function recordAccepted(
  doc: OutgoingDocument,
  change: Change & { readonly ksefNumber: string; readonly acquisitionDate: string; readonly invoiceReferenceNumber?: string },
): OutgoingDocument {
  return move(doc, ['Sending', 'Sent'], 'Accepted', change, {
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
  return move(doc, ['Sending', 'Sent'], 'Accepted', change, {
    ksefNumber: change.originalKsefNumber,
    acquisitionDate: change.acquisitionDate,
    duplicateOf: { ksefNumber: change.originalKsefNumber, sessionReferenceNumber: change.originalSessionReferenceNumber },
    rejection: null,
  });
}

export function recordRejected(doc: OutgoingDocument, change: Change & { readonly rejection: DocumentRejection }): OutgoingDocument {
  return move(doc, ['Sending', 'Sent'], 'Rejected', change, { rejection: change.rejection });
}

/**
 * KSeF invoice statuses that mean "not processed, send it again" (README §4): 405 processing
 * cancelled because the session failed, 550 cancelled by the system. Neither gives a KSeF number.
 */
export const KSEF_RESEND_CODES: readonly number[] = [405, 550];

/** How many times a document KSeF keeps cancelling is sent again before it is recorded Rejected. */
export const MAX_RESENDS_AFTER_KSEF_CANCELLATION = 3;

/** Starts the history note of every return to Pending after a cancellation: what the count reads. */
const CANCELLED_NOTE = 'cancelled by KSeF';

export function isKsefResendCode(code: number): boolean {
  return KSEF_RESEND_CODES.includes(code);
}

/** How many times the document went back to Pending after KSeF cancelled it (from its history). */
export function resendsAfterKsefCancellation(doc: Pick<OutgoingDocument, 'history'>): number {
  // Counted since the last resubmission: corrected content starts with a clean slate.
  return historySinceResubmission(doc).filter((entry) => entry.status === 'Pending' && entry.note?.startsWith(CANCELLED_NOTE) === true).length;
}

/**
 * KSeF cancelled the invoice (405/550) without giving it a KSeF number: back to Pending so that it
 * is sent again, up to `maxResends` times; the next cancellation is recorded as a rejection that
 * says how often it was retried, so an invoice KSeF never takes cannot loop forever. If KSeF did
 * keep it after all, the resend comes back as a 440 whose hash matches, and is reconciled.
 */
export function afterKsefCancellation(
  doc: OutgoingDocument,
  change: Change & { readonly ksefStatus: DocumentRejection; readonly sessionReferenceNumber: string; readonly maxResends?: number },
): OutgoingDocument {
  const { code, description, details } = change.ksefStatus;
  const limit = change.maxResends ?? MAX_RESENDS_AFTER_KSEF_CANCELLATION;
  const resends = resendsAfterKsefCancellation(doc);
  const what = `${CANCELLED_NOTE} (${code} ${description}) in session ${change.sessionReferenceNumber}`;
  if (resends < limit) {
    const note = `${what}; it has no KSeF number, so it goes back to Pending to be sent again (resend ${resends + 1} of at most ${limit})`;
    return move(doc, ['Sending', 'Sent'], 'Pending', { ...change, note }, { sessionReferenceNumber: null, invoiceReferenceNumber: null });
  }
  const reason = `KSeF cancelled this invoice ${resends + 1} times (last: ${code} ${description}); it was sent again ${resends} times and is not retried any more`;
  return recordRejected(doc, { ...change, note: reason, rejection: { code, description, details: [...details, reason] } });
}

/**
 * How many times an invoice whose send failed (5xx, lost response, a 4xx that is not a refusal of
 * the invoice) and that was then proven absent from its closed session goes back to Pending before
 * it is Held for an admin instead: the oldest Pending invoice is sent first, so one KSeF never takes
 * would otherwise be the first of every run, and its history would grow by two entries a run.
 */
export const MAX_RETURNS_AFTER_FAILED_SEND = 3;

/** Starts the history note of every return to Pending after a failed send: what the count reads. */
const FAILED_SEND_NOTE = 'send failed';

/**
 * How many times the document went back to Pending after a failed send since it was last Held or
 * resubmitted (an admin's release or corrected content starts the count again).
 */
export function returnsAfterFailedSend(doc: Pick<OutgoingDocument, 'history'>): number {
  const history = historySinceResubmission(doc);
  const lastHeld = history.findLastIndex((entry) => entry.status === 'Held');
  return history.slice(lastHeld + 1).filter((entry) => entry.status === 'Pending' && entry.note?.startsWith(FAILED_SEND_NOTE) === true).length;
}

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
  const what = `${FAILED_SEND_NOTE} (${change.reason}); it is not in session ${change.sessionReferenceNumber} (closed), so it never reached KSeF`;
  const cleared = { sessionReferenceNumber: null, invoiceReferenceNumber: null };
  if (returns < limit) {
    return move(doc, ['Sending'], 'Pending', { ...change, note: `${what}; back to Pending (return ${returns + 1} of at most ${limit})` }, cleared);
  }
  const reason = `sending failed ${returns + 1} times in a row (last: ${change.reason}); it is not in KSeF. Held so that the other invoices are sent: check it, then release it`;
  return move(doc, ['Sending'], 'Held', { ...change, note: reason }, { ...cleared, heldReason: reason });
}

/** Kept back instead of letting KSeF silently mark it offline; an admin decides. */
export function holdOffline(doc: OutgoingDocument, change: Change & { readonly reason: string }): OutgoingDocument {
  return move(doc, ['Pending'], 'Held', { ...change, note: change.note ?? change.reason }, { heldReason: change.reason });
}

/** Back to Pending; `offlineMode` true sends it declared as offline (offline24). */
export function releaseHeld(doc: OutgoingDocument, change: Change & { readonly offlineMode: boolean }): OutgoingDocument {
  return move(doc, ['Held'], 'Pending', change, { heldReason: null, offlineMode: change.offlineMode });
}

/* ---------- What an admin does with a document the system put aside ---------- */

/** Start the history notes that `sendsDespiteOfflineMarking` and `resubmitRejected` read back. */
const RELEASED_AS_OFFLINE_NOTE = 'released to be sent declared offline (offlineMode, offline24)';
const RELEASED_AS_IS_NOTE = 'released to be sent as a normal invoice';
const RESUBMITTED_NOTE = 'resubmitted after rejection';

/**
 * An admin's decision on a Held document (POST /documents/{id}/release). `offlineMode` true sends
 * it declared offline (offline24); false sends it as a normal invoice, accepting that KSeF marks it
 * offline on its own because its issue date is before the send date (README §12).
 */
export function releaseHeldByAdmin(doc: OutgoingDocument, change: Omit<Change, 'note'> & { readonly offlineMode: boolean }): OutgoingDocument {
  const why = doc.heldReason === null ? '' : ` (held: ${doc.heldReason})`;
  const note = change.offlineMode
    ? `${RELEASED_AS_OFFLINE_NOTE}${why}`
    : `${RELEASED_AS_IS_NOTE}, accepting that KSeF marks it offline automatically${why}`;
  return releaseHeld(doc, { ...change, note });
}

/**
 * True when an admin released the document to go as a normal invoice since it was last held (and
 * its content has not been replaced since): the sender must send it, not hold it again.
 */
export function sendsDespiteOfflineMarking(doc: Pick<OutgoingDocument, 'history' | 'offlineMode'>): boolean {
  if (doc.offlineMode) return false;
  for (let i = doc.history.length - 1; i >= 0; i--) {
    const entry = doc.history[i] as StatusChange;
    if (entry.status === 'Held') return false;
    if (entry.status !== 'Pending') continue;
    if (entry.note?.startsWith(RESUBMITTED_NOTE) === true) return false;
    if (entry.note?.startsWith(RELEASED_AS_IS_NOTE) === true) return true;
  }
  return false;
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
  const note = `${RESUBMITTED_NOTE}: corrected content (SHA-256 ${content.contentSha256}) replaces the content ${rejected} (SHA-256 ${doc.contentSha256})`;
  return move(doc, ['Rejected'], 'Pending', { at: change.at, by: change.by, note }, {
    fields: content.fields,
    contentSha256: content.contentSha256,
    sizeBytes: content.sizeBytes,
    xmlKey: content.xmlKey,
    ...NOTHING_SENT_YET,
  });
}

/** The history since the content was last replaced (all of it when it never was). */
function historySinceResubmission(doc: Pick<OutgoingDocument, 'history'>): readonly StatusChange[] {
  for (let i = doc.history.length - 1; i >= 0; i--) {
    const entry = doc.history[i] as StatusChange;
    if (entry.status === 'Pending' && entry.note?.startsWith(RESUBMITTED_NOTE) === true) return doc.history.slice(i + 1);
  }
  return doc.history;
}

/** Links the stored UPO; not a status change, so it leaves the history alone. */
export function attachUpo(doc: OutgoingDocument, upoKey: string, at: string): OutgoingDocument {
  if (doc.status !== 'Accepted') {
    throw new IllegalTransitionError(doc.status, doc.status, `Document '${doc.id}' is ${doc.status}; only an Accepted document has a UPO.`);
  }
  return { ...doc, upoKey, updatedAt: at };
}

/**
 * The history note process-upo writes when an Accepted document will get no UPO
 * (`${NO_UPO_NOTE}: <reason>`); readers such as the API's UPO download use noUpoReason to tell the admin why.
 */
export const NO_UPO_NOTE = 'no UPO available';

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

/** The calendar day (Europe/Warsaw) of `instant`, YYYY-MM-DD; KSeF compares P_1 with this day. */
export function warsawDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * KSeF marks an invoice offline when the day of P_1 is before the day it is invoiced (sent, or the
 * batch session opened). README §12 assumes Europe/Warsaw for the day comparison.
 */
export function wouldBeMarkedOffline(fields: Pick<InvoiceFields, 'issueDate'>, invoicingAt: Date): boolean {
  return fields.issueDate < warsawDay(invoicingAt);
}

/** Why a correcting invoice must wait, or null when it may go now. */
export function correctionBlocker(doc: OutgoingDocument, originals: ReadonlyMap<string, OutgoingDocument>): string | null {
  if (!isCorrectingInvoice(doc.fields)) return null;
  for (const ref of doc.fields.corrects) {
    // A correction that names the original's KSeF number proves the original is in KSeF already.
    if (ref.ksefNumber !== null) continue;
    const original = originals.get(ref.invoiceNumber);
    // An original this system never held was not sent by it (e.g. issued outside KSeF): nothing to wait for.
    if (original === undefined) continue;
    if (original.ksefNumber === null) return `its original '${ref.invoiceNumber}' has no KSeF number yet (${original.status})`;
  }
  return null;
}

export interface SendPlan {
  readonly sendable: readonly OutgoingDocument[];
  readonly waiting: readonly { readonly document: OutgoingDocument; readonly reason: string }[];
}

/**
 * Orders pending documents for sending: by issue date, then submission time, then id; a correcting
 * invoice only after its original has a KSeF number (README §12), so one whose original is pending
 * in the same batch waits for a later run. `originals` maps invoice numbers of the same seller to
 * the stored documents (the caller looks up the numbers in `fields.corrects`).
 */
export function planSending(pending: readonly OutgoingDocument[], originals: ReadonlyMap<string, OutgoingDocument>): SendPlan {
  const ordered = [...pending]
    .filter((doc) => doc.status === 'Pending')
    .sort((a, b) => compare(a.fields.issueDate, b.fields.issueDate) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  const sendable: OutgoingDocument[] = [];
  const waiting: { document: OutgoingDocument; reason: string }[] = [];
  for (const doc of ordered) {
    const reason = correctionBlocker(doc, originals);
    if (reason === null) sendable.push(doc);
    else waiting.push({ document: doc, reason });
  }
  return { sendable, waiting };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The invoice numbers a batch of documents corrects: what the caller must look up for planSending. */
export function correctedInvoiceNumbers(docs: readonly OutgoingDocument[]): string[] {
  return [...new Set(docs.flatMap((doc) => (isCorrectingInvoice(doc.fields) ? doc.fields.corrects.map((ref) => ref.invoiceNumber) : [])))];
}

/* ---------- Incoming (purchase) documents ---------- */

/** A purchase invoice addressed to the company (Subject2), de-duplicated by its KSeF number. */
export interface IncomingDocument {
  readonly ksefNumber: string;
  readonly fields: InvoiceFields;
  /** Base64 SHA-256 of the XML as downloaded (KSeF's `invoiceHash`). */
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly xmlKey: string;
  readonly acquisitionDate: string;
  readonly invoicingDate: string | null;
  readonly receivedAt: string;
}

/* ---------- The KSeF ledger (update-ledgers) ---------- */

export const LEDGER_DIRECTIONS = ['Outgoing', 'Incoming'] as const;
export type LedgerDirection = (typeof LEDGER_DIRECTIONS)[number];

/**
 * What reconciliation with KSeF's metadata found: `InKsefOnly` — KSeF holds an outgoing invoice this
 * system did not send; `MissingInKsef` — this system believes it sent it, KSeF does not know it.
 */
export const LEDGER_FLAGS = ['InKsefOnly', 'MissingInKsef', 'HashMismatch'] as const;
export type LedgerFlag = (typeof LEDGER_FLAGS)[number];

/** One row per KSeF document, outgoing and incoming, keyed by the KSeF number. */
export interface LedgerRow {
  readonly ksefNumber: string;
  readonly direction: LedgerDirection;
  readonly invoiceNumber: string;
  readonly invoiceType: string;
  readonly issueDate: string;
  readonly acquisitionDate: string | null;
  readonly sellerNip: string;
  readonly sellerName: string | null;
  readonly buyer: BuyerIdentifier;
  readonly buyerName: string | null;
  readonly netAmount: string;
  readonly vatAmount: string;
  readonly grossAmount: string;
  readonly currency: string;
  /** The outgoing document's status; `Received` for incoming ones. */
  readonly status: DocumentStatus | 'Received';
  readonly upoPresent: boolean;
  /** The outgoing document id, when this system holds it. */
  readonly documentId: string | null;
  readonly flags: readonly LedgerFlag[];
  /** Why the row is flagged, for the admin (set by update-ledgers only while `flags` is not empty). */
  readonly flagReason?: string;
  readonly updatedAt: string;
}

export function ledgerRowOfOutgoing(doc: OutgoingDocument, at: string, flags: readonly LedgerFlag[] = []): LedgerRow | null {
  if (doc.ksefNumber === null) return null;
  return {
    ...ledgerFieldsOf(doc.fields),
    ksefNumber: doc.ksefNumber,
    direction: 'Outgoing',
    acquisitionDate: doc.acquisitionDate,
    status: doc.status,
    upoPresent: doc.upoKey !== null,
    documentId: doc.id,
    flags,
    updatedAt: at,
  };
}

export function ledgerRowOfIncoming(doc: IncomingDocument, at: string): LedgerRow {
  return {
    ...ledgerFieldsOf(doc.fields),
    ksefNumber: doc.ksefNumber,
    direction: 'Incoming',
    acquisitionDate: doc.acquisitionDate,
    status: 'Received',
    upoPresent: false,
    documentId: null,
    flags: [],
    updatedAt: at,
  };
}

/** The invoice's own fields as the ledger shows them, whoever holds the invoice. */
export function ledgerFieldsOf(fields: InvoiceFields) {
  return {
    invoiceNumber: fields.invoiceNumber,
    invoiceType: fields.invoiceType,
    issueDate: fields.issueDate,
    sellerNip: fields.sellerNip,
    sellerName: fields.sellerName,
    buyer: fields.buyer,
    buyerName: fields.buyerName,
    netAmount: fields.netAmount,
    vatAmount: fields.vatAmount,
    grossAmount: fields.grossAmount,
    currency: fields.currency,
  };
}

/* ---------- Amounts ---------- */

/** Sums FA(3) amounts (TKwotowy: up to two decimals, may be negative) exactly, in grosze. */
export function sumAmounts(values: readonly string[]): string {
  const total = values.reduce((acc, value) => acc + toMinorUnits(value), 0n);
  return fromMinorUnits(total);
}

export function toMinorUnits(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw new RangeError(`'${value}' is not an amount with at most two decimals.`);
  const [, sign, whole, fraction = ''] = match;
  const minor = BigInt(whole as string) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -minor : minor;
}

export function fromMinorUnits(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
