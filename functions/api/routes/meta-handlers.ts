import { jsonResponse } from '../http-response.js';
import { openApiDocument } from '../openapi/document.js';
import type { RouteHandlers } from '../route.js';
import type { META_ROUTES } from './meta-routes.js';

export const metaHandlers: RouteHandlers<typeof META_ROUTES> = {
  async getOpenApiDocument(request) {
    request.query();
    return jsonResponse(200, openApiDocument(), { 'cache-control': 'public, max-age=300' });
  },
};
