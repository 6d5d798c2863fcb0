import * as z from 'zod';
import { DOCUMENT_STATUSES, INVOICE_TYPES, LEDGER_DIRECTIONS, LEDGER_FLAGS } from '../../domain/documents.js';
import { releaseDocumentRequestSchema } from '../request-schemas.js';
import { historyEventSchema } from './history-event-schema.js';

/*
 * What the documents endpoints answer (use-cases/read-documents.ts), for the OpenAPI document.
 * Strict objects, so that the conformance tests catch a field the document does not describe.
 */

const instant = z.iso.datetime({ offset: true });
const day = z.iso.date().meta({ description: 'YYYY-MM-DD' });
const amount = z.string().regex(/^-?\d+\.\d{2}$/).meta({ description: 'Decimal with two places, as a string (never a float).' });
const ksefDate = z.string().meta({ description: 'ISO-8601 as KSeF reports it.' });
const nip = z.string().regex(/^\d{10}$/);

export const documentStatusSchema = z.enum(DOCUMENT_STATUSES).meta({
  description:
    'Pending → Sending → Sent → Accepted | Rejected; Held when KSeF would mark it offline (POST /documents/{id}/release sends it on); a Rejected invoice submitted again with corrected content is Pending again.',
});

const buyerSchema = z.strictObject({
  type: z.enum(['Nip', 'VatUe', 'Other', 'None']),
  value: z.string().nullable(),
});

const invoiceFieldsSchema = z.strictObject({
  sellerNip: nip,
  sellerName: z.string().nullable(),
  buyer: buyerSchema,
  buyerName: z.string().nullable(),
  invoiceType: z.enum(INVOICE_TYPES),
  invoiceNumber: z.string().meta({ description: 'Fa/P_2' }),
  issueDate: day.meta({ description: 'Fa/P_1' }),
  currency: z.string(),
  netAmount: amount,
  vatAmount: amount,
  grossAmount: amount,
  corrects: z
    .array(z.strictObject({ invoiceNumber: z.string(), issueDate: day, ksefNumber: z.string().nullable(), outsideKsef: z.boolean() }))
    .meta({ description: 'The invoices a correcting invoice corrects.' }),
});

const statusChangeSchema = z.strictObject({
  status: documentStatusSchema,
  at: instant,
  by: z.string().meta({ description: 'The submitting admin or the code unit.' }),
  event: historyEventSchema,
  note: z.string().optional(),
});

export const documentDetailsSchema = z.strictObject({
  id: z.string(),
  key: z.strictObject({ sellerNip: nip, invoiceType: z.enum(INVOICE_TYPES), invoiceNumber: z.string() }).meta({
    description: 'The business key: a second submission with the same key is the same document (or a 409).',
  }),
  fields: invoiceFieldsSchema,
  contentSha256: z.string().meta({ description: "Base64 SHA-256 of the XML as stored and sent: KSeF's invoiceHash." }),
  sizeBytes: z.int().min(1),
  status: documentStatusSchema,
  offlineMode: z.boolean(),
  heldReason: z.string().nullable(),
  sessionReferenceNumber: z.string().nullable(),
  invoiceReferenceNumber: z.string().nullable(),
  ksefNumber: z.string().nullable(),
  acquisitionDate: ksefDate.nullable(),
  duplicateOf: z.strictObject({ ksefNumber: z.string(), sessionReferenceNumber: z.string().nullable() }).nullable().meta({
    description: 'Set when KSeF answered 440 and the hash matched: the original KSeF number was taken over.',
  }),
  rejection: z.strictObject({ code: z.int(), description: z.string(), details: z.array(z.string()) }).nullable(),
  history: z.array(statusChangeSchema),
  submittedBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  version: z.int().min(1),
  upoPresent: z.boolean().meta({ description: 'GET /documents/{id}/upo answers 404 until it is true.' }),
});

const documentSummarySchema = z.strictObject({
  id: z.string(),
  invoiceNumber: z.string(),
  invoiceType: z.string(),
  issueDate: day,
  buyerName: z.string().nullable(),
  grossAmount: amount,
  currency: z.string(),
  status: documentStatusSchema,
  ksefNumber: z.string().nullable(),
  acquisitionDate: ksefDate.nullable(),
  rejectionCode: z.int().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const incomingDocumentSchema = z.strictObject({
  ksefNumber: z.string(),
  fields: invoiceFieldsSchema,
  contentSha256: z.string(),
  sizeBytes: z.int().min(1),
  acquisitionDate: ksefDate,
  invoicingDate: ksefDate.nullable(),
  receivedAt: instant,
});

export const ledgerRowSchema = z.strictObject({
  ksefNumber: z.string(),
  direction: z.enum(LEDGER_DIRECTIONS),
  invoiceNumber: z.string(),
  invoiceType: z.string(),
  issueDate: day,
  acquisitionDate: ksefDate.nullable(),
  sellerNip: z.string(),
  sellerName: z.string().nullable(),
  buyer: buyerSchema,
  buyerName: z.string().nullable(),
  netAmount: amount,
  vatAmount: amount,
  grossAmount: amount,
  currency: z.string(),
  status: z.union([documentStatusSchema, z.literal('Received')]),
  upoPresent: z.boolean(),
  documentId: z.string().nullable(),
  flags: z.array(z.enum(LEDGER_FLAGS)).meta({
    description: 'InKsefOnly: in KSeF but not sent by this system; MissingInKsef: sent, but KSeF does not know it; HashMismatch.',
  }),
  flagReason: z.string().optional().meta({ description: 'Why the row is flagged, one line per flag (`<flag>: <reason>`); absent when it is not.' }),
  updatedAt: instant,
});

const nextCursor = z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' });

export const DOCUMENT_SCHEMAS = {
  ReleaseDocumentRequest: releaseDocumentRequestSchema,
  DocumentStatus: documentStatusSchema,
  DocumentDetails: documentDetailsSchema,
  HistoryEvent: historyEventSchema,
  DocumentSummary: documentSummarySchema,
  DocumentPage: z.strictObject({ items: z.array(documentSummarySchema).meta({ description: 'By issue date, then id.' }), nextCursor }),
  IncomingDocument: incomingDocumentSchema,
  IncomingDocumentPage: z.strictObject({ items: z.array(incomingDocumentSchema), nextCursor }),
  LedgerRow: ledgerRowSchema,
  LedgerPage: z.strictObject({ items: z.array(ledgerRowSchema), nextCursor }),
} as const;
