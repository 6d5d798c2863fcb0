import type { LedgerRow } from '../../domain/documents.js';
import type { KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';
import { fieldsFromMetadata } from '../incoming-documents/fields-from-metadata.js';

/** A ledger row for an outgoing invoice that only KSeF knows: what its metadata says, no local document. */
export function ledgerRowOfMetadata(metadata: KsefInvoiceMetadata, at: string): LedgerRow {
  const fields = fieldsFromMetadata(metadata);
  return {
    ksefNumber: metadata.ksefNumber,
    direction: 'Outgoing',
    invoiceNumber: fields.invoiceNumber,
    invoiceType: fields.invoiceType,
    issueDate: fields.issueDate,
    acquisitionDate: metadata.acquisitionDate,
    sellerNip: fields.sellerNip,
    sellerName: fields.sellerName,
    buyer: fields.buyer,
    buyerName: fields.buyerName,
    netAmount: fields.netAmount,
    vatAmount: fields.vatAmount,
    grossAmount: fields.grossAmount,
    currency: fields.currency,
    // KSeF gave it a number: accepted, whoever sent it.
    status: 'Accepted',
    upoPresent: false,
    documentId: null,
    flags: [],
    updatedAt: at,
  };
}
