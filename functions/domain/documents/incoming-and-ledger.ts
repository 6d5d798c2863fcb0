import type { BuyerIdentifier, DocumentStatus, InvoiceFields, OutgoingDocument } from './model.js';

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
