import { DOCUMENT_STATUSES, noUpoReason, type DocumentStatus, type IncomingDocument, type LedgerRow, type OutgoingDocument } from '../domain/documents.js';
import { DocumentNotFoundError, UpoNotAvailableError, ValidationError } from '../domain/errors.js';
import type { Page } from '../ports/run-log-repository.js';
import type { DocumentDeps } from './document-deps.js';

/*
 * What admins read about documents: GET /documents[/{id}[/xml|/upo]], /incoming-documents[/{ksefNumber}[/xml]]
 * and /ledger. Inputs are validated here (a bad filter is a ValidationError naming it); anything
 * that does not exist is a DocumentNotFoundError (404); a UPO not stored (yet) an UpoNotAvailableError.
 */

export const DOCUMENT_PAGE_LIMIT = { default: 20, min: 1, max: 100 } as const;

export interface ListFilter {
  readonly status?: string;
  /** Inclusive issue-date range, YYYY-MM-DD. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** One row of the documents list. */
export interface DocumentSummary {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly invoiceType: string;
  readonly issueDate: string;
  readonly buyerName: string | null;
  readonly grossAmount: string;
  readonly currency: string;
  readonly status: DocumentStatus;
  readonly ksefNumber: string | null;
  readonly acquisitionDate: string | null;
  readonly rejectionCode: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The document card: everything but where the blobs are stored. */
export type DocumentDetails = Omit<OutgoingDocument, 'xmlKey' | 'upoKey'> & { readonly upoPresent: boolean };

export type IncomingSummary = Omit<IncomingDocument, 'xmlKey'>;

export interface XmlBlob {
  readonly contentType: 'application/xml';
  readonly body: Uint8Array;
  /** Suggested download name, e.g. `FV-1-2026.xml`. */
  readonly fileName: string;
}

const ID = /^[A-Za-z0-9-]{1,100}$/;
const KSEF_NUMBER = /^[0-9A-Z-]{35,36}$/;

export function summaryOf(doc: OutgoingDocument): DocumentSummary {
  return {
    id: doc.id,
    invoiceNumber: doc.fields.invoiceNumber,
    invoiceType: doc.fields.invoiceType,
    issueDate: doc.fields.issueDate,
    buyerName: doc.fields.buyerName,
    grossAmount: doc.fields.grossAmount,
    currency: doc.fields.currency,
    status: doc.status,
    ksefNumber: doc.ksefNumber,
    acquisitionDate: doc.acquisitionDate,
    rejectionCode: doc.rejection?.code ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function detailsOf(doc: OutgoingDocument): DocumentDetails {
  const { xmlKey: _x, upoKey, ...rest } = doc;
  return { ...rest, upoPresent: upoKey !== null };
}

export async function listDocuments(deps: DocumentDeps, filter: ListFilter = {}): Promise<Page<DocumentSummary>> {
  const status = checkStatus(filter.status);
  const page = await deps.documents.list({ ...range(filter), ...(status === undefined ? {} : { status }), limit: limitOf(filter.limit), cursor: filter.cursor ?? null });
  return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
}

export async function getDocument(deps: DocumentDeps, id: string): Promise<DocumentDetails> {
  return detailsOf(await requireDocument(deps, id));
}

export async function getDocumentXml(deps: DocumentDeps, id: string): Promise<XmlBlob> {
  const doc = await requireDocument(deps, id);
  const body = await deps.blobs.get(doc.xmlKey);
  if (body === undefined) throw new DocumentNotFoundError('document-xml', id, `The XML of document '${id}' is missing from the document store.`);
  return { contentType: 'application/xml', body, fileName: fileNameOf(doc.fields.invoiceNumber) };
}

/**
 * 404 until process-upo has stored the UPO of the accepted document (UpoNotAvailableError: the
 * document exists), with the reason process-upo recorded when KSeF has none for it.
 */
export async function getDocumentUpo(deps: DocumentDeps, id: string): Promise<XmlBlob> {
  const doc = await requireDocument(deps, id);
  const body = doc.upoKey === null ? undefined : await deps.blobs.get(doc.upoKey);
  if (body === undefined) throw upoNotAvailable(doc, doc.upoKey !== null);
  return { contentType: 'application/xml', body, fileName: `UPO-${doc.ksefNumber ?? doc.id}.xml` };
}

function upoNotAvailable(doc: OutgoingDocument, lostFromStore: boolean): UpoNotAvailableError {
  const exists = `Document '${doc.id}' exists (${doc.status})`;
  if (lostFromStore) return new UpoNotAvailableError(doc.id, `${exists} but its UPO is missing from the document store.`, null);
  if (doc.status !== 'Accepted') {
    return new UpoNotAvailableError(doc.id, `Document '${doc.id}' exists but has no UPO while the document is ${doc.status}: KSeF issues a UPO only for an invoice it has accepted, and process-upo then downloads it.`, null);
  }
  const reason = noUpoReason(doc);
  if (reason !== null) return new UpoNotAvailableError(doc.id, `${exists} but will get no UPO: ${reason}`, reason);
  return new UpoNotAvailableError(doc.id, `${exists} but its UPO has not been downloaded yet; process-upo downloads it on one of its next runs.`, null);
}


export async function listIncoming(deps: DocumentDeps, filter: Omit<ListFilter, 'status'> = {}): Promise<Page<IncomingSummary>> {
  const page = await deps.incoming.list({ ...range(filter), limit: limitOf(filter.limit), cursor: filter.cursor ?? null });
  return { items: page.items.map(incomingSummaryOf), nextCursor: page.nextCursor };
}

export async function getIncoming(deps: DocumentDeps, ksefNumber: string): Promise<IncomingSummary> {
  return incomingSummaryOf(await requireIncoming(deps, ksefNumber));
}

export async function getIncomingXml(deps: DocumentDeps, ksefNumber: string): Promise<XmlBlob> {
  const doc = await requireIncoming(deps, ksefNumber);
  const body = await deps.blobs.get(doc.xmlKey);
  if (body === undefined) throw new DocumentNotFoundError('incoming-document-xml', ksefNumber, `The XML of incoming document '${ksefNumber}' is missing from the document store.`);
  return { contentType: 'application/xml', body, fileName: `${ksefNumber}.xml` };
}

export async function listLedger(deps: DocumentDeps, filter: Omit<ListFilter, 'status'> = {}): Promise<Page<LedgerRow>> {
  return deps.ledger.list({ ...range(filter), limit: limitOf(filter.limit), cursor: filter.cursor ?? null });
}

/** The document, or DocumentNotFoundError (404) for an unknown or malformed id. */
export async function requireDocument(deps: Pick<DocumentDeps, 'documents'>, id: string): Promise<OutgoingDocument> {
  const doc = ID.test(id) ? await deps.documents.get(id) : undefined;
  if (doc === undefined) throw new DocumentNotFoundError('document', id);
  return doc;
}

async function requireIncoming(deps: DocumentDeps, ksefNumber: string): Promise<IncomingDocument> {
  const doc = KSEF_NUMBER.test(ksefNumber) ? await deps.incoming.get(ksefNumber) : undefined;
  if (doc === undefined) throw new DocumentNotFoundError('incoming-document', ksefNumber);
  return doc;
}

function incomingSummaryOf(doc: IncomingDocument): IncomingSummary {
  const { xmlKey: _x, ...rest } = doc;
  return rest;
}

function checkStatus(status: string | undefined): DocumentStatus | undefined {
  if (status === undefined) return undefined;
  if (!(DOCUMENT_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError([{ field: 'status', reason: `must be one of ${DOCUMENT_STATUSES.join(', ')}` }]);
  }
  return status as DocumentStatus;
}

function limitOf(limit: number | undefined): number {
  const value = limit ?? DOCUMENT_PAGE_LIMIT.default;
  if (!Number.isInteger(value) || value < DOCUMENT_PAGE_LIMIT.min || value > DOCUMENT_PAGE_LIMIT.max) {
    throw new ValidationError([{ field: 'limit', reason: `must be an integer from ${DOCUMENT_PAGE_LIMIT.min} to ${DOCUMENT_PAGE_LIMIT.max}` }]);
  }
  return value;
}

/** The repositories check the dates' format; only what is given is passed on. */
function range(filter: { from?: string; to?: string }): { issuedFrom?: string; issuedTo?: string } {
  return { ...(filter.from === undefined ? {} : { issuedFrom: filter.from }), ...(filter.to === undefined ? {} : { issuedTo: filter.to }) };
}

function fileNameOf(invoiceNumber: string): string {
  const safe = invoiceNumber.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return `${safe || 'invoice'}.xml`;
}
