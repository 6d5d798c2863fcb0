import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import type { ApiResult } from './http-response.js';
import type { HeaderParameter, PathParameterName, QueryName, QueryParameter } from './openapi/parameters.js';
import type { ApiSchemaName } from './openapi/schemas.js';

/*
 * The vocabulary of the route table (route-table.ts). A route is declared once, as data: method,
 * path, request (query and header parameters, body), responses and OpenAPI metadata. The OpenAPI
 * document (openapi/document.ts), the API Gateway routes (infra/constructs/management-api.ts) and
 * the router (router.ts) derive from the declarations; the handlers (routes/*-handlers.ts) are typed
 * by them. This file imports types only, so that the CDK app can read the table without the API.
 */

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** The groups of operations in the document, with their descriptions. */
export const API_TAGS = {
  queues: 'Job queue entries and their run log.',
  notifications: 'Global e-mail recipients and the log of e-mails sent.',
  documents: 'Sales invoices sent to KSeF, purchase invoices received, and the KSeF ledger.',
  meta: null,
} as const;
export type ApiTag = keyof typeof API_TAGS;

/** The problem statuses the document describes (openapi/document.ts, PROBLEM_DESCRIPTIONS). */
export type ProblemStatus = 400 | 401 | 404 | 409 | 412 | 413 | 415 | 428 | 500 | 503;
export type SuccessStatus = 200 | 201 | 202 | 204;

/** A JSON Schema written in place, for a body that has no component (an XML string, the document itself). */
export type InlineSchema = Readonly<Record<string, unknown>>;

/** Header components of success responses (openapi/document.ts). */
export type ResponseHeader = 'ETag' | 'Location' | 'Link' | 'Content-Disposition';

export interface ResponseDeclaration {
  readonly description: string;
  readonly headers: readonly ResponseHeader[];
  /** JSON of a component schema (or an inline one), stored XML byte for byte, or no body at all. */
  readonly body: { readonly json: ApiSchemaName | InlineSchema } | 'xml' | null;
}

export interface RequestBodyDeclaration {
  readonly schema: ApiSchemaName | InlineSchema;
  readonly mediaTypes: readonly [string, ...string[]];
  readonly description?: string;
}

export interface RequestDeclaration<Q extends QueryParameter> {
  /** The query parameters the route takes (components of openapi/parameters.ts); any other is a 400. */
  readonly query?: readonly Q[];
  readonly headers?: readonly HeaderParameter[];
  readonly body?: RequestBodyDeclaration;
}

export interface RouteDeclaration<P extends string = string, Q extends QueryParameter = QueryParameter> {
  readonly method: RouteMethod;
  /**
   * API Gateway route syntax, also the OpenAPI path, e.g. `/queues/{codeUnit}`. Each `{name}` is a
   * path parameter of openapi/parameters.ts, which gives its schema.
   */
  readonly path: P;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly [ApiTag, ...ApiTag[]];
  /** Served without authentication in local mode (the document only); on AWS every route is behind IAM. */
  readonly anonymous?: true;
  readonly request?: RequestDeclaration<Q>;
  readonly responses: Readonly<Partial<Record<SuccessStatus, ResponseDeclaration>>>;
  /**
   * The problems particular to this route (409, 415). The ones its shape implies are added by the
   * document: every route's, 401 and 503 behind authentication, 404 with path parameters, 412 with
   * If-Match, 428 with a required If-Match.
   */
  readonly problems?: readonly ProblemStatus[];
}

/** `/queues/{codeUnit}/runs/{runId}` → `'codeUnit' | 'runId'`. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;

/** Nothing for a path whose parameters openapi/parameters.ts describes; a property no route has otherwise, named in the error. */
type KnownPathParams<P extends string> = [Exclude<PathParams<P>, PathParameterName>] extends [never]
  ? unknown
  : { readonly unknownPathParameter: `{${Exclude<PathParams<P>, PathParameterName>}} is not described in openapi/parameters.ts` };

/** A route declaration, checked: every path parameter must be one openapi/parameters.ts describes. */
export function defineRoute<P extends string, Q extends QueryParameter = never>(route: RouteDeclaration<P, Q> & KnownPathParams<P>): RouteDeclaration<P, Q> {
  return route;
}

export const json = (schema: ApiSchemaName | InlineSchema, description: string, headers: readonly ResponseHeader[] = []): ResponseDeclaration => ({
  description,
  headers,
  body: { json: schema },
});

/** An XML download: the stored bytes as they are. */
export const xml = (description: string, headers: readonly ResponseHeader[] = []): ResponseDeclaration => ({ description, headers, body: 'xml' });

export const noBody = (description: string): ResponseDeclaration => ({ description, headers: [], body: null });

export const jsonBody = (schema: ApiSchemaName, mediaTypes: RequestBodyDeclaration['mediaTypes'] = ['application/json']): RequestBodyDeclaration => ({
  schema,
  mediaTypes,
});

/** Routes by operationId. */
export type RouteGroup = Readonly<Record<string, RouteDeclaration>>;

/** A route of the table: its declaration and its operationId, the key it is declared under. */
export type DeclaredRoute = RouteDeclaration & { readonly operationId: string };

type Joined<G extends readonly RouteGroup[]> = G extends readonly [infer Head, ...infer Tail extends readonly RouteGroup[]] ? Head & Joined<Tail> : unknown;

/** The groups as one table; an operationId, or a method and path, declared twice is refused at load. */
export function joinRoutes<const G extends readonly RouteGroup[]>(...groups: G): Joined<G> {
  const joined: Record<string, RouteDeclaration> = {};
  const routeKeys = new Set<string>();
  for (const [operationId, route] of groups.flatMap((group) => Object.entries(group))) {
    const routeKey = `${route.method} ${route.path}`;
    if (operationId in joined) throw new RangeError(`The operationId ${operationId} is declared twice.`);
    if (routeKeys.has(routeKey)) throw new RangeError(`The route ${routeKey} is declared twice.`);
    joined[operationId] = route;
    routeKeys.add(routeKey);
  }
  return joined as Joined<G>;
}

/** The table as a list, in declaration order: the order of the document, and of `Allow` on a 405. */
export const listRoutes = (routes: RouteGroup): readonly DeclaredRoute[] => Object.entries(routes).map(([operationId, route]) => ({ ...route, operationId }));

/** What a handler gets: the event, the API's dependencies, the caller and the parameters its route declares. */
export interface RouteRequest<P extends string = string, Q extends string = string> {
  readonly event: APIGatewayProxyEventV2;
  readonly deps: ApiDeps;
  /** The verified caller, `updatedBy` of every change (`anonymous` on anonymous routes). */
  readonly caller: string;
  /** A path parameter, percent-decoded; a 404 when it is not valid percent-encoding. */
  param(name: P): string;
  /** The declared query parameters that were sent; a 400 naming any other. */
  query(): Partial<Record<Q, string>>;
}

/** The handler of a declared route: its path parameters and query parameters are typed by the declaration. */
export type RouteHandler<R> = R extends RouteDeclaration<infer P, infer Q> ? (request: RouteRequest<PathParams<P>, QueryName<Q>>) => Promise<ApiResult> : never;

/** One handler per route of a group, under the same operationIds. */
export type RouteHandlers<G extends RouteGroup> = { readonly [K in keyof G]: RouteHandler<G[K]> };

/** A route the router serves: its declaration and its handler. */
export interface Route extends DeclaredRoute {
  handle(request: RouteRequest): Promise<ApiResult>;
}
