import { defineRoute, json } from '../route.js';

/* What the API says about itself. Handlers: meta-handlers.ts. */

export const META_ROUTES = {
  // Behind IAM on AWS like everything else: the document describes the API to those allowed to call it.
  getOpenApiDocument: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    tags: ['meta'],
    summary: 'This document.',
    anonymous: true,
    responses: { 200: json({ type: 'object' }, 'The OpenAPI 3.1 document.') },
  }),
};
