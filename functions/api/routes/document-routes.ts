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
  type HttpAnswer,
  type QueryParams,
} from '../../use-cases/documents-http.js';
import type { ApiDocumentDeps } from '../api-deps.js';
import { bytesResponse, jsonResponse, type ApiResult } from '../http-response.js';
import { ApiProblem } from '../problem.js';
import { readQuery } from '../query.js';
import type { Route } from '../route.js';
import { requireDocuments } from './configured.js';

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

const queryOf = (event: APIGatewayProxyEventV2) => event.queryStringParameters ?? {};

/** A 409 that points at the invoice already holding the business key. */
function withExistingLocation(error: unknown): never {
  const existing = error instanceof ConflictError ? (error.existing as Partial<OutgoingDocument> | undefined) : undefined;
  if (typeof existing?.id === 'string') {
    throw new ApiProblem('conflict', error instanceof Error ? error.message : 'Conflict.', { headers: { location: `/documents/${encodeURIComponent(existing.id)}` } }, { cause: error });
  }
  throw error;
}

type ListMapping = (deps: ApiDocumentDeps, query: QueryParams) => Promise<HttpAnswer>;
type ReadMapping = (deps: ApiDocumentDeps, key: string) => Promise<HttpAnswer>;

/** A listing: its mapping validates the query itself (filters, limit, cursor). */
function listRoute(path: string, list: ListMapping): Route {
  return {
    method: 'GET',
    path,
    async handle({ event, deps }) {
      return answer(await list(requireDocuments(deps), queryOf(event)));
    },
  };
}

/** A read of one item by the path parameter `key`; it takes no query parameters at all. */
function readRoute(path: string, key: string, read: ReadMapping): Route {
  return {
    method: 'GET',
    path,
    async handle(request) {
      readQuery(request.event, []);
      return answer(await read(requireDocuments(request.deps), request.param(key)));
    },
  };
}

export const documentRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/documents',
    async handle({ event, deps, caller }) {
      readQuery(event, []);
      const documents = requireDocuments(deps);
      const request = { body: rawBody(event), contentType: event.headers['content-type'], companyNip: documents.companyNip, caller };
      return answer(await postDocumentHttp(documents, request).catch(withExistingLocation));
    },
  },
  listRoute('/documents', listDocumentsHttp),
  readRoute('/documents/{id}', 'id', getDocumentHttp),
  readRoute('/documents/{id}/xml', 'id', getDocumentXmlHttp),
  readRoute('/documents/{id}/upo', 'id', getDocumentUpoHttp),
  listRoute('/incoming-documents', listIncomingHttp),
  readRoute('/incoming-documents/{ksefNumber}', 'ksefNumber', getIncomingHttp),
  readRoute('/incoming-documents/{ksefNumber}/xml', 'ksefNumber', getIncomingXmlHttp),
  listRoute('/ledger', listLedgerHttp),
];
