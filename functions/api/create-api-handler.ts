import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import { accessLog } from './middleware/access-log.js';
import { problemResponses } from './middleware/problem-responses.js';
import type { Route, RouteHandlers } from './route.js';
import { ROUTE_TABLE, type ROUTES } from './route-table.js';
import { createRouter } from './router.js';
import { documentHandlers } from './routes/document-handlers.js';
import { metaHandlers } from './routes/meta-handlers.js';
import { notificationHandlers } from './routes/notification-handlers.js';
import { queueHandlers } from './routes/queue-handlers.js';

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A handler for every route of the table, by operationId: TypeScript refuses a route left without one. */
const HANDLERS: RouteHandlers<typeof ROUTES> = { ...queueHandlers, ...notificationHandlers, ...documentHandlers, ...metaHandlers };

/** The routes the API serves: the table with the handlers. */
export const API_ROUTES: readonly Route[] = ROUTE_TABLE.map((route) => ({
  ...route,
  handle: HANDLERS[route.operationId as keyof typeof HANDLERS],
}));

/**
 * The management API as one middy handler: the Lambda handler on AWS (payload format 2.0) and the
 * handler behind the local HTTP server. Middleware order matters: onError runs in reverse, so the
 * problem mapper answers first and the access log then sees the final status.
 */
export function createApiHandler(deps: ApiDeps): ApiHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'management-api' });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(accessLog(logger))
    .use(httpHeaderNormalizer())
    .use(problemResponses(logger))
    .handler(createRouter(API_ROUTES, deps));
}
