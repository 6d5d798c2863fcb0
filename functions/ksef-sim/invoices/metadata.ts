import type { StoredInvoice } from '../state.js';
import { INVOICE_TYPES } from './fa3-facts.js';

/** `InvoiceMetadata` of the API and of an export's `_metadata.json`. */
export function invoiceMetadata(invoice: StoredInvoice) {
  const f = invoice.facts;
  return {
    ksefNumber: invoice.ksefNumber,
    invoiceNumber: f.invoiceNumber,
    issueDate: f.issueDate,
    invoicingDate: invoice.invoicingDate.toISOString(),
    acquisitionDate: invoice.acquisitionDate.toISOString(),
    permanentStorageDate: invoice.permanentStorageDate.toISOString(),
    seller: { nip: f.sellerNip, name: f.sellerName },
    buyer: { identifier: { type: f.buyer.type, value: f.buyer.value }, name: f.buyer.name },
    netAmount: f.netAmount,
    grossAmount: f.grossAmount,
    vatAmount: f.vatAmount,
    currency: f.currency,
    invoicingMode: invoice.invoicingMode,
    invoiceType: INVOICE_TYPES[f.invoiceTypeCode] ?? 'Vat',
    formCode: invoice.formCode,
    isSelfInvoicing: f.isSelfInvoicing,
    hasAttachment: f.hasAttachment,
    invoiceHash: invoice.invoiceHash,
    hashOfCorrectedInvoice: invoice.hashOfCorrectedInvoice,
    thirdSubjects: f.thirdSubjects.map((t) => ({ identifier: { type: t.nip ? 'Nip' : 'None', value: t.nip }, name: t.name, role: t.role })),
  };
}
