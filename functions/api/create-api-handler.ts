import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import { accessLog } from './middleware/access-log.js';
import { problemResponses } from './middleware/problem-responses.js';
import { createRouter } from './router.js';
import { documentRoutes } from './routes/document-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { openApiRoute } from './routes/openapi-route.js';
import { queueRoutes } from './routes/queue-routes.js';
import { runRoutes } from './routes/run-routes.js';

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export const API_ROUTES = [...queueRoutes, ...runRoutes, ...notificationRoutes, ...documentRoutes, openApiRoute] as const;

/**
 * The management API as one middy handler: the Lambda handler on AWS (payload format 2.0) and the
 * handler behind the local HTTP server. Middleware order matters: onError runs in reverse, so the
 * problem mapper answers first and the access log then sees the final status.
 */
export function createApiHandler(deps: ApiDeps): ApiHandler {
  const { logger } = deps;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(accessLog(logger))
    .use(httpHeaderNormalizer())
    .use(problemResponses(logger))
    .handler(createRouter(API_ROUTES, deps));
}
