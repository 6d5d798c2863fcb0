import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import type { ApiResult } from './http-response.js';

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export interface RouteRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly deps: ApiDeps;
  /** Decoded path parameter; the router guarantees the ones in the route's path exist. */
  param(name: string): string;
  /** The verified caller, `updatedBy` of every change (`anonymous` on anonymous routes). */
  readonly caller: string;
}

export interface Route {
  readonly method: RouteMethod;
  /** API Gateway route syntax, e.g. `/queues/{codeUnit}`; also the OpenAPI path. */
  readonly path: string;
  /** Served without authentication (only the OpenAPI document). */
  readonly anonymous?: boolean;
  handle(request: RouteRequest): Promise<ApiResult>;
}
