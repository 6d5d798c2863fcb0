import { describe, expect, test } from 'vitest';
import { API_ROUTES as GATEWAY_ROUTES } from '../../infra/constructs/management-api-routes.js';
import { API_ROUTES } from '../../functions/api/create-api-handler.js';

/*
 * API Gateway only forwards the routes the stack declares: every route the API function serves
 * must be reachable through one of them, or admins get API Gateway's bare 404 instead of the API.
 */

/** The gateway route as a pattern: `{x}` is one segment, `{x+}` one or more. */
function gatewayPattern(path: string): RegExp {
  const pattern = path
    .replace(/[.]/g, '\\.')
    .replace(/\{[^/]+\+\}/g, '.+')
    .replace(/\{[^/+]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`);
}

/** A concrete path of an API route, its parameters filled in. */
const samplePath = (path: string): string => path.replace(/\{[^/]+\}/g, 'x');

describe('the API Gateway routes of the stack', () => {
  test.each(API_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('forward %s to the API function', (_name, route) => {
    const forwarding = GATEWAY_ROUTES.filter(
      (gateway) => (gateway.method === 'ANY' || gateway.method === route.method) && gatewayPattern(gateway.path).test(samplePath(route.path)),
    );

    expect(forwarding.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
  });
});
