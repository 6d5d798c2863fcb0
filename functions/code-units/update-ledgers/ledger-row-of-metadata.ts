import { ledgerFieldsOf, type LedgerRow } from '../../domain/documents.js';
import type { KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';
import { fieldsFromMetadata } from '../incoming-documents/fields-from-metadata.js';

/** A ledger row for an outgoing invoice that only KSeF knows: what its metadata says, no local document. */
export function ledgerRowOfMetadata(metadata: KsefInvoiceMetadata, at: string): LedgerRow {
  return {
    ...ledgerFieldsOf(fieldsFromMetadata(metadata)),
    ksefNumber: metadata.ksefNumber,
    direction: 'Outgoing',
    acquisitionDate: metadata.acquisitionDate,
    // KSeF gave it a number: accepted, whoever sent it.
    status: 'Accepted',
    upoPresent: false,
    documentId: null,
    flags: [],
    updatedAt: at,
  };
}
