import { listRoutes, joinRoutes, type DeclaredRoute } from './route.js';
import { DOCUMENT_ROUTES } from './routes/document-routes.js';
import { META_ROUTES } from './routes/meta-routes.js';
import { NOTIFICATION_ROUTES } from './routes/notification-routes.js';
import { QUEUE_ROUTES } from './routes/queue-routes.js';

/*
 * The route table: every route of the management API, declared once (routes/*-routes.ts). From it
 * derive the OpenAPI document (openapi/document.ts), the API Gateway routes (infra/constructs/
 * management-api.ts) and the router's matching, 404 and 405 (router.ts); create-api-handler.ts
 * gives each route its handler (routes/*-handlers.ts), and TypeScript refuses a route without one.
 *
 * Declarations and handlers live in separate files so that the CDK app, which reads this table,
 * loads route declarations only, never the API's code and its dependencies.
 *
 * To add a route: declare it with defineRoute in the group of its tag (routes/<tag>-routes.ts; a new
 * group is joined below and its handlers spread into create-api-handler.ts), then write its handler
 * under the same operationId in routes/<tag>-handlers.ts. A new path or query parameter goes into
 * openapi/parameters.ts, a new body schema into openapi/schemas.ts (API_SCHEMAS). The document, the
 * gateway route and the matching follow by themselves.
 */

export const ROUTES = joinRoutes(QUEUE_ROUTES, NOTIFICATION_ROUTES, DOCUMENT_ROUTES, META_ROUTES);

/** In declaration order: the order of the document and of `Allow`. */
export const ROUTE_TABLE: readonly DeclaredRoute[] = listRoutes(ROUTES);
