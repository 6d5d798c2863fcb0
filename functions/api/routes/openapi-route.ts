import { jsonResponse } from '../http-response.js';
import { openApiDocument } from '../openapi/document.js';
import { readQuery } from '../query.js';
import type { Route } from '../route.js';

export const openApiRoute: Route = {
  method: 'GET',
  path: '/openapi.json',
  anonymous: true,
  async handle({ event }) {
    readQuery(event, []);
    return jsonResponse(200, openApiDocument(), { 'cache-control': 'public, max-age=300' });
  },
};
