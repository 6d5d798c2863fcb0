import { createHash } from 'node:crypto';
import {
  businessKeyOf,
  keyTakenMessage,
  newOutgoingDocument,
  rejectedSameContentMessage,
  resubmitRejected,
  type InvoiceFields,
  type OutgoingDocument,
} from '../domain/documents.js';
import {
  ConflictError,
  PayloadTooLargeError,
  SchemaValidationError,
  UnsupportedMediaTypeError,
  ValidationError,
  VersionConflictError,
  type SchemaIssue,
} from '../domain/errors.js';
import { nipProblem } from '../domain/nip.js';
import { documentBlobKeys } from '../ports/document-store.js';
import type { SchemaVerdict } from '../ports/invoice-schema-validator.js';
import type { DocumentDeps } from './document-deps.js';

/*
 * POST /documents: an outgoing FA(3) invoice enters the system. Nothing is stored unless the XML
 * is well-formed, valid against the official XSD and issued by the company (seller NIP). Then the
 * XML is stored first (content-addressed, so a retry rewrites the same blob) and the document
 * second, through the repository's business-key claim: the same invoice again is the same document.
 * Corrected content for a Rejected document replaces it (see submittedAgain).
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
  /** True when corrected content replaced a Rejected document (200, the same document). */
  readonly resubmitted?: boolean;
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
  const known = await deps.documents.findByKey(businessKeyOf(fields));
  if (known) return submittedAgain(deps, known, { fields, contentSha256, bytes, actor: input.actor });
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

interface Submission {
  readonly fields: InvoiceFields;
  readonly contentSha256: string;
  readonly bytes: Uint8Array;
  readonly actor: string;
}

/** Conditional writes that lose to a concurrent change are tried again on what is stored then. */
const RESUBMIT_ATTEMPTS = 3;

/**
 * The business key is taken. Same content: that document (200), unless it was Rejected; different
 * content: 409, unless it was Rejected, whose number never got a KSeF number and may be used again:
 * then the corrected content replaces it and it goes back to Pending (200, the same document id).
 *
 * The same content as a Rejected document is a 409, not a re-send: KSeF refused exactly these bytes
 * (schema, semantics, size …) and would refuse them again, and POST /documents must stay safe to
 * repeat — a script that re-submits its invoices must never make the system send one again.
 */
async function submittedAgain(deps: DocumentDeps, stored: OutgoingDocument, submission: Submission): Promise<SubmitDocumentResult> {
  let known = stored;
  for (let attempt = 1; ; attempt++) {
    if (known.contentSha256 === submission.contentSha256) {
      if (known.status === 'Rejected') throw new ConflictError<OutgoingDocument>(rejectedSameContentMessage(known), known);
      return { document: known, created: false };
    }
    if (known.status !== 'Rejected') throw new ConflictError<OutgoingDocument>(keyTakenMessage(known.key), known);
    const xmlKey = documentBlobKeys.outgoingXml(submission.contentSha256);
    // The XML first: the document must never point at a blob that is not there.
    await deps.blobs.put(xmlKey, submission.bytes);
    const content = { fields: submission.fields, contentSha256: submission.contentSha256, sizeBytes: submission.bytes.byteLength, xmlKey };
    const next = resubmitRejected(known, { at: deps.clock.now().toISOString(), by: submission.actor, content });
    try {
      return { document: await deps.documents.update(next, known.version), created: false, resubmitted: true };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= RESUBMIT_ATTEMPTS) throw error;
      known = (await deps.documents.get(known.id)) ?? known;
    }
  }
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
