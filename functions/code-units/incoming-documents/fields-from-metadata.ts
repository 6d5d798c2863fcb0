import type { BuyerIdentifier, InvoiceFields, InvoiceType } from '../../domain/documents.js';
import type { KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';

/** KSeF's metadata invoice types (README §8.1) as FA(3) `RodzajFaktury`; PEF and RR kinds map to their FA meaning. */
const INVOICE_TYPE_OF_METADATA: Readonly<Record<string, InvoiceType>> = {
  Vat: 'VAT',
  Zal: 'ZAL',
  Kor: 'KOR',
  Roz: 'ROZ',
  Upr: 'UPR',
  KorZal: 'KOR_ZAL',
  KorRoz: 'KOR_ROZ',
  VatPef: 'VAT',
  VatPefSp: 'VAT',
  KorPef: 'KOR',
  VatRr: 'VAT',
  KorVatRr: 'KOR',
};

export function invoiceTypeOfMetadata(type: string): InvoiceType {
  return INVOICE_TYPE_OF_METADATA[type] ?? 'VAT';
}

/** KSeF amounts are JSON numbers; the ledger keeps decimal strings with two places. */
export function amountOf(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

function buyerOf(metadata: KsefInvoiceMetadata): BuyerIdentifier {
  const { type, value } = metadata.buyer.identifier;
  if (type === 'Nip' || type === 'VatUe' || type === 'Other') return { type, value: value ?? null };
  return { type: 'None', value: null };
}

/**
 * The key fields as KSeF's metadata states them: for an invoice whose XML the FA(3) parser cannot
 * read (e.g. a PEF invoice), so that it is still stored and on the ledger rather than blocking the sync.
 */
export function fieldsFromMetadata(metadata: KsefInvoiceMetadata): InvoiceFields {
  return {
    sellerNip: metadata.seller.nip,
    sellerName: metadata.seller.name ?? null,
    buyer: buyerOf(metadata),
    buyerName: metadata.buyer.name ?? null,
    invoiceType: invoiceTypeOfMetadata(metadata.invoiceType),
    invoiceNumber: metadata.invoiceNumber,
    issueDate: metadata.issueDate.slice(0, 10),
    currency: metadata.currency,
    netAmount: amountOf(metadata.netAmount),
    vatAmount: amountOf(metadata.vatAmount),
    grossAmount: amountOf(metadata.grossAmount),
    corrects: [],
  };
}
