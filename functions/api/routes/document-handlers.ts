import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { OutgoingDocument } from '../../domain/documents.js';
import { ConflictError } from '../../domain/errors.js';
import {
  getDocumentHttp,
  getDocumentUpoHttp,
  getDocumentXmlHttp,
  getIncomingHttp,
  getIncomingXmlHttp,
  listDocumentsHttp,
  listIncomingHttp,
  listLedgerHttp,
  postDocumentHttp,
  releaseDocumentHttp,
  type HttpAnswer,
  type QueryParams,
} from '../../use-cases/documents-http.js';
import type { DocumentDetails } from '../../use-cases/read-documents.js';
import type { ApiDocumentDeps } from '../api-deps.js';
import { bytesResponse, etagOf, jsonResponse, type ApiResult } from '../http-response.js';
import { ifMatchOf, versionMatching } from '../if-match.js';
import { readJsonObject } from '../json-body.js';
import { ApiProblem } from '../problem.js';
import { parseRequest, releaseDocumentRequestSchema } from '../request-schemas.js';
import type { RouteHandlers, RouteRequest } from '../route.js';
import { requireDocuments } from './configured.js';
import type { DOCUMENT_ROUTES } from './document-routes.js';

/*
 * The documents endpoints (issue 4): thin adapters from API Gateway events to the mappings in
 * use-cases/documents-http.ts, which validate the queries and bodies and choose the statuses.
 */

function answer(result: HttpAnswer): ApiResult {
  if (result.body instanceof Uint8Array) return bytesResponse(result.status, result.body, result.headers);
  return jsonResponse(result.status, result.body, result.headers);
}

/** The body exactly as sent: API Gateway base64-encodes what it does not take for text. */
function rawBody(event: APIGatewayProxyEventV2): string | Uint8Array | undefined {
  if (event.body === undefined) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
}

/** A 409 that points at the invoice already holding the business key. */
function withExistingLocation(error: unknown): never {
  const existing = error instanceof ConflictError ? (error.existing as Partial<OutgoingDocument> | undefined) : undefined;
  if (typeof existing?.id === 'string') {
    throw new ApiProblem('conflict', error instanceof Error ? error.message : 'Conflict.', { headers: { location: `/documents/${encodeURIComponent(existing.id)}` } }, { cause: error });
  }
  throw error;
}

/** A document card with its version as the ETag, for If-Match on the changes that take one. */
function cardAnswer(result: HttpAnswer): ApiResult {
  const { version } = result.body as DocumentDetails;
  return jsonResponse(result.status, result.body, { ...result.headers, etag: etagOf(version) });
}

/** The version an optional If-Match pins the change to (412 when it is not the current one). */
async function optionalExpectedVersion(request: RouteRequest<'id', never>, documents: ApiDocumentDeps, id: string): Promise<number | undefined> {
  const header = ifMatchOf(request.event);
  if (header === undefined) return undefined;
  const current = (await getDocumentHttp(documents, id)).body as DocumentDetails;
  return versionMatching(header, current.version);
}

type ListMapping = (deps: ApiDocumentDeps, query: QueryParams) => Promise<HttpAnswer>;
type ReadMapping = (deps: ApiDocumentDeps, key: string) => Promise<HttpAnswer>;

/**
 * A listing: its mapping validates the query itself (filters, limit, cursor), and names the
 * parameters it takes when refusing another; the route declares the same ones.
 */
const listHandler =
  (list: ListMapping) =>
  async ({ event, deps }: RouteRequest): Promise<ApiResult> =>
    answer(await list(requireDocuments(deps), event.queryStringParameters ?? {}));

/** A read of one item by the path parameter `key`; it takes no query parameters at all. */
const readHandler =
  <K extends string>(key: K, read: ReadMapping) =>
  async (request: RouteRequest<K, never>): Promise<ApiResult> => {
    request.query();
    return answer(await read(requireDocuments(request.deps), request.param(key)));
  };

export const documentHandlers: RouteHandlers<typeof DOCUMENT_ROUTES> = {
  async submitDocument(request) {
    request.query();
    const { event, caller } = request;
    const documents = requireDocuments(request.deps);
    const submission = { body: rawBody(event), contentType: event.headers['content-type'], companyNip: documents.companyNip, caller };
    return answer(await postDocumentHttp(documents, submission).catch(withExistingLocation));
  },
  listDocuments: listHandler(listDocumentsHttp),
  async getDocument(request) {
    request.query();
    return cardAnswer(await getDocumentHttp(requireDocuments(request.deps), request.param('id')));
  },
  async releaseDocument(request) {
    request.query();
    const documents = requireDocuments(request.deps);
    const id = request.param('id');
    const { offlineMode } = parseRequest(releaseDocumentRequestSchema, readJsonObject(request.event));
    const expectedVersion = await optionalExpectedVersion(request, documents, id);
    const release = { id, offlineMode, caller: request.caller, ...(expectedVersion === undefined ? {} : { expectedVersion }) };
    return cardAnswer(await releaseDocumentHttp(documents, release));
  },
  getDocumentXml: readHandler('id', getDocumentXmlHttp),
  getDocumentUpo: readHandler('id', getDocumentUpoHttp),
  listIncomingDocuments: listHandler(listIncomingHttp),
  getIncomingDocument: readHandler('ksefNumber', getIncomingHttp),
  getIncomingDocumentXml: readHandler('ksefNumber', getIncomingXmlHttp),
  listLedger: listHandler(listLedgerHttp),
};
