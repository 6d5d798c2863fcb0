import { newOutgoingDocument, type IncomingDocument, type InvoiceFields, type LedgerRow, type OutgoingDocument } from '../../functions/domain/documents.js';
import { SELLER_NIP } from './fa3-invoice-factory.js';

/** Invoice fields as the FA(3) parser reads them from the factory's default invoice. */
export function makeFields(overrides: Partial<InvoiceFields> = {}): InvoiceFields {
  return {
    sellerNip: SELLER_NIP,
    sellerName: 'Elektrownia S.A.',
    buyer: { type: 'Nip', value: '1111111111' },
    buyerName: 'F.H.U. Jan Kowalski',
    invoiceType: 'VAT',
    invoiceNumber: 'FV/00001/2026',
    issueDate: '2026-02-02',
    currency: 'PLN',
    netAmount: '43.60',
    vatAmount: '10.03',
    grossAmount: '53.63',
    corrects: [],
    ...overrides,
  };
}

/** A Pending document; `hash` stands in for the content's SHA-256. */
export function makeDocument(options: { id?: string; fields?: Partial<InvoiceFields>; hash?: string; at?: string } = {}): OutgoingDocument {
  const hash = options.hash ?? Buffer.from(`hash-of-${options.fields?.invoiceNumber ?? 'FV/00001/2026'}`).toString('base64');
  return newOutgoingDocument({
    id: options.id ?? 'doc-1',
    fields: makeFields(options.fields),
    contentSha256: hash,
    sizeBytes: 3000,
    xmlKey: `outgoing/${Buffer.from(hash, 'base64').toString('base64url')}.xml`,
    submittedBy: 'admin@example.com',
    at: options.at ?? '2026-02-02T08:00:00.000Z',
  });
}

export function makeIncoming(ksefNumber: string, fields: Partial<InvoiceFields> = {}): IncomingDocument {
  return {
    ksefNumber,
    fields: makeFields({ sellerNip: '1111111111', ...fields }),
    contentSha256: Buffer.from(`incoming-${ksefNumber}`).toString('base64'),
    sizeBytes: 3000,
    xmlKey: `incoming/${ksefNumber}.xml`,
    acquisitionDate: '2026-02-03T10:00:00.000Z',
    invoicingDate: '2026-02-03T09:59:00.000Z',
    receivedAt: '2026-02-03T11:00:00.000Z',
  };
}

export function makeLedgerRow(ksefNumber: string, overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    ksefNumber,
    direction: 'Outgoing',
    invoiceNumber: 'FV/00001/2026',
    invoiceType: 'VAT',
    issueDate: '2026-02-02',
    acquisitionDate: '2026-02-02T09:00:00.000Z',
    sellerNip: SELLER_NIP,
    sellerName: 'Elektrownia S.A.',
    buyer: { type: 'Nip', value: '1111111111' },
    buyerName: 'F.H.U. Jan Kowalski',
    netAmount: '43.60',
    vatAmount: '10.03',
    grossAmount: '53.63',
    currency: 'PLN',
    status: 'Accepted',
    upoPresent: false,
    documentId: 'doc-1',
    flags: [],
    updatedAt: '2026-02-02T10:00:00.000Z',
    ...overrides,
  };
}
