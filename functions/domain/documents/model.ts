import type { HistoryEvent } from './history-events.js';

/*
 * Outgoing (sales) documents: FA(3) invoices this system sends to KSeF, what the system reads from
 * them and what it keeps about each. The life cycle is in life-cycle.ts (see documents.ts).
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

/** One entry of a document's history: a status change, or a fact recorded at the same status (no UPO). */
export interface StatusChange {
  readonly status: DocumentStatus;
  readonly at: string;
  /** Who or what made the change: the submitting admin, or the code unit's name. */
  readonly by: string;
  /** What happened, as data: every rule that looks back at the history reads this (history-events.ts). */
  readonly event: HistoryEvent;
  /** What happened, in words, for people only: no code reads it to decide anything. */
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

/** Why a second submission of a key with different content is refused (409). */
export function keyTakenMessage(key: DocumentBusinessKey): string {
  return `Invoice ${key.invoiceType} '${key.invoiceNumber}' of seller ${key.sellerNip} was already submitted with different content.`;
}

export function isCorrectingInvoice(fields: Pick<InvoiceFields, 'invoiceType'>): boolean {
  return CORRECTING_INVOICE_TYPES.includes(fields.invoiceType);
}
