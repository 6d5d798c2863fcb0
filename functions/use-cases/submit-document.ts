import { createHash } from 'node:crypto';
import { keyTakenMessage, newOutgoingDocument, type OutgoingDocument } from '../domain/documents.js';
import { ConflictError, PayloadTooLargeError, SchemaValidationError, UnsupportedMediaTypeError, ValidationError, type SchemaIssue } from '../domain/errors.js';
import { nipProblem } from '../domain/nip.js';
import { documentBlobKeys } from '../ports/document-store.js';
import type { SchemaVerdict } from '../ports/invoice-schema-validator.js';
import type { DocumentDeps } from './document-deps.js';

/*
 * POST /documents: an outgoing FA(3) invoice enters the system. Nothing is stored unless the XML
 * is well-formed, valid against the official XSD and issued by the company (seller NIP). Then the
 * XML is stored first (content-addressed, so a retry rewrites the same blob) and the document
 * second, through the repository's business-key claim: the same invoice again is the same document.
 */

export const ACCEPTED_INVOICE_MEDIA_TYPES = ['application/xml', 'text/xml'] as const;
/** KSeF's limit for an invoice with attachments (GET /limits/context: maxInvoiceWithAttachmentSizeInMB = 3). */
export const MAX_INVOICE_BYTES = 3_000_000;
export const SELLER_NIP_FIELD = 'Podmiot1/DaneIdentyfikacyjne/NIP';

export interface SubmitDocumentInput {
  readonly xml: string | Uint8Array;
  readonly contentType: string | undefined;
  /** The company's NIP (KSEF_NIP): the only seller this system sends for. */
  readonly companyNip: string;
  readonly actor: string;
}

export interface SubmitDocumentResult {
  readonly document: OutgoingDocument;
  /** False when the same invoice was already submitted: answer 200 with it, not 201. */
  readonly created: boolean;
}

export async function submitDocument(deps: DocumentDeps, input: SubmitDocumentInput): Promise<SubmitDocumentResult> {
  checkMediaType(input.contentType);
  const bytes = invoiceBytes(input.xml);
  const xml = decodeUtf8(bytes);
  deps.parser.checkWellFormed(xml);
  const verdict = await deps.validator.validate('fa3', xml);
  if (!verdict.valid) throw new SchemaValidationError(schemaIssuesOf(verdict));
  const fields = deps.parser.parse(xml);
  checkSeller(fields.sellerNip, input.companyNip);

  const contentSha256 = createHash('sha256').update(bytes).digest('base64');
  // Cheap answer for the common resubmission, before any write.
  const known = await deps.documents.findByKey({ sellerNip: fields.sellerNip, invoiceType: fields.invoiceType, invoiceNumber: fields.invoiceNumber });
  if (known) {
    if (known.contentSha256 !== contentSha256) throw new ConflictError<OutgoingDocument>(keyTakenMessage(known.key), known);
    return { document: known, created: false };
  }
  const xmlKey = documentBlobKeys.outgoingXml(contentSha256);
  await deps.blobs.put(xmlKey, bytes);
  const document = newOutgoingDocument({
    id: deps.newDocumentId(),
    fields,
    contentSha256,
    sizeBytes: bytes.byteLength,
    xmlKey,
    submittedBy: input.actor,
    at: deps.clock.now().toISOString(),
  });
  return deps.documents.create(document);
}

function checkMediaType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (!(ACCEPTED_INVOICE_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new UnsupportedMediaTypeError(contentType, ACCEPTED_INVOICE_MEDIA_TYPES);
  }
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(contentType, ACCEPTED_INVOICE_MEDIA_TYPES.map((t) => `${t}; charset=utf-8`));
  }
}

/** The bytes that are stored, hashed and sent: the body as given, without a UTF-8 byte-order mark. */
function invoiceBytes(xml: string | Uint8Array): Uint8Array {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  if (bytes.byteLength === 0) throw new ValidationError([{ field: 'body', reason: 'is empty; send the invoice XML' }]);
  if (bytes.byteLength > MAX_INVOICE_BYTES) throw new PayloadTooLargeError(bytes.byteLength, MAX_INVOICE_BYTES);
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SchemaValidationError([{ line: null, element: null, message: 'The document is not valid UTF-8 text.' }]);
  }
}

function checkSeller(sellerNip: string, companyNip: string): void {
  const problem = nipProblem(sellerNip);
  if (problem !== null) throw new ValidationError([{ field: SELLER_NIP_FIELD, reason: `'${sellerNip}' ${problem}` }]);
  if (sellerNip !== companyNip) {
    throw new ValidationError([{ field: SELLER_NIP_FIELD, reason: `is ${sellerNip}, but this system sends invoices of the company ${companyNip} only` }]);
  }
}

/** libxml2 names the element as `Element '{namespace}Name'`; keep its local name and the rest of the message. */
export function schemaIssuesOf(verdict: SchemaVerdict): SchemaIssue[] {
  const issues = verdict.errors.map((error) => {
    const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(error.message)?.[1] ?? null;
    const message = error.message
      .replace(/^Schemas validity error : /, '')
      .replace(/\{http:\/\/crd\.gov\.pl\/wzor\/2025\/06\/25\/13775\/\}/g, '')
      .trim();
    return { line: error.line, element, message };
  });
  return issues.length > 0 ? issues : [{ line: null, element: null, message: 'The document failed XSD validation.' }];
}
