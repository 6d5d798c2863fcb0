import { ValidationError } from '../domain/errors.js';
import type { Page } from '../ports/run-log-repository.js';
import type { DocumentDeps } from './document-deps.js';
import {
  detailsOf,
  getDocument,
  getDocumentUpo,
  getDocumentXml,
  getIncoming,
  getIncomingXml,
  listDocuments,
  listIncoming,
  listLedger,
  type ListFilter,
  type XmlBlob,
} from './read-documents.js';
import { releaseHeldDocument } from './release-held-document.js';
import { submitDocument } from './submit-document.js';

/*
 * The documents endpoints as request → response mappings that the management API's router mounts
 * (functions/api is the API's; these know nothing of API Gateway). Each takes the decoded request
 * parts and returns status, headers and body; errors are thrown as domain errors for the router's
 * problem+json mapping (ValidationError/SchemaValidationError 400, UnsupportedMediaTypeError 415,
 * PayloadTooLargeError 413, ConflictError 409, DocumentNotFoundError 404, VersionConflictError 412).
 */

export interface HttpAnswer {
  readonly status: 200 | 201;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON-serialisable, or the raw bytes of an XML download. */
  readonly body: unknown;
}

export type QueryParams = Readonly<Record<string, string | undefined>>;

/** POST /documents — body: the FA(3) XML (API Gateway's base64 body decoded by the router). */
export async function postDocumentHttp(
  deps: DocumentDeps,
  request: { readonly body: string | Uint8Array | undefined; readonly contentType: string | undefined; readonly companyNip: string; readonly caller: string },
): Promise<HttpAnswer> {
  const result = await submitDocument(deps, { xml: request.body ?? '', contentType: request.contentType, companyNip: request.companyNip, actor: request.caller });
  const location = `/documents/${encodeURIComponent(result.document.id)}`;
  return { status: result.created ? 201 : 200, headers: { location }, body: detailsOf(result.document) };
}

/**
 * POST /documents/{id}/release — body `{ "offlineMode": boolean }`, validated by the router.
 * `expectedVersion` is the version the caller's If-Match named (the router checked it against the
 * document it read; the write is conditional on it again).
 */
export async function releaseDocumentHttp(
  deps: DocumentDeps,
  request: { readonly id: string; readonly offlineMode: boolean; readonly caller: string; readonly expectedVersion?: number },
): Promise<HttpAnswer> {
  const { expectedVersion } = request;
  const document = await releaseHeldDocument(deps, { id: request.id, offlineMode: request.offlineMode, actor: request.caller, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  return { status: 200, headers: {}, body: detailsOf(document) };
}

/** GET /documents?status=&from=&to=&limit=&cursor= */
export async function listDocumentsHttp(deps: DocumentDeps, query: QueryParams): Promise<HttpAnswer> {
  const filter = readListQuery(query, ['status', 'from', 'to', 'limit', 'cursor']);
  return pageAnswer('/documents', filter, await listDocuments(deps, filter));
}

/** GET /documents/{id} */
export async function getDocumentHttp(deps: DocumentDeps, id: string): Promise<HttpAnswer> {
  return { status: 200, headers: {}, body: await getDocument(deps, id) };
}

/** GET /documents/{id}/xml */
export async function getDocumentXmlHttp(deps: DocumentDeps, id: string): Promise<HttpAnswer> {
  return xmlAnswer(await getDocumentXml(deps, id));
}

/** GET /documents/{id}/upo — 404 until the UPO is stored. */
export async function getDocumentUpoHttp(deps: DocumentDeps, id: string): Promise<HttpAnswer> {
  return xmlAnswer(await getDocumentUpo(deps, id));
}

/** GET /incoming-documents?from=&to=&limit=&cursor= */
export async function listIncomingHttp(deps: DocumentDeps, query: QueryParams): Promise<HttpAnswer> {
  const filter = readListQuery(query, ['from', 'to', 'limit', 'cursor']);
  return pageAnswer('/incoming-documents', filter, await listIncoming(deps, filter));
}

/** GET /incoming-documents/{ksefNumber} */
export async function getIncomingHttp(deps: DocumentDeps, ksefNumber: string): Promise<HttpAnswer> {
  return { status: 200, headers: {}, body: await getIncoming(deps, ksefNumber) };
}

/** GET /incoming-documents/{ksefNumber}/xml */
export async function getIncomingXmlHttp(deps: DocumentDeps, ksefNumber: string): Promise<HttpAnswer> {
  return xmlAnswer(await getIncomingXml(deps, ksefNumber));
}

/** GET /ledger?from=&to=&limit=&cursor= */
export async function listLedgerHttp(deps: DocumentDeps, query: QueryParams): Promise<HttpAnswer> {
  const filter = readListQuery(query, ['from', 'to', 'limit', 'cursor']);
  return pageAnswer('/ledger', filter, await listLedger(deps, filter));
}

function xmlAnswer(blob: XmlBlob): HttpAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${blob.fileName}"` },
    body: blob.body,
  };
}

function pageAnswer<T>(path: string, filter: ListFilter, page: Page<T>): HttpAnswer {
  const headers: Record<string, string> = {};
  if (page.nextCursor !== null) {
    const next = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...filter, cursor: page.nextCursor })) if (value !== undefined) next.set(name, String(value));
    headers.link = `<${path}?${next.toString()}>; rel="next"`;
  }
  return { status: 200, headers, body: { items: page.items, nextCursor: page.nextCursor } };
}

/** Unknown parameters are refused by name, so that a typo in a filter is not silently ignored. */
function readListQuery(query: QueryParams, allowed: readonly (keyof ListFilter)[]): ListFilter {
  const unknown = Object.keys(query).filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0) throw new ValidationError(unknown.map((field) => ({ field, reason: `is not a parameter of this listing (use ${allowed.join(', ')})` })));
  const filter: Record<string, string | number> = {};
  for (const name of allowed) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (name === 'limit') {
      if (!/^\d{1,3}$/.test(value)) throw new ValidationError([{ field: 'limit', reason: 'must be an integer from 1 to 100' }]);
      filter.limit = Number(value);
    } else {
      filter[name] = value;
    }
  }
  return filter as ListFilter;
}
