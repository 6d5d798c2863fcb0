import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import type { ApiLogger } from '../api-deps.js';
import { matchedRouteOf } from '../router.js';

type ApiRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

const UNMATCHED = '(no route)';

/** One structured line per request: method, route, status, duration. Never bodies, headers or tokens. */
export function accessLog(logger: ApiLogger): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const startedAt = new WeakMap<object, number>();
  const log = (request: ApiRequest) => {
    const { event, response } = request;
    const start = startedAt.get(event);
    const status = typeof response === 'object' && response !== null ? (response.statusCode ?? 200) : 200;
    logger.info('request', {
      method: event.requestContext?.http?.method,
      route: matchedRouteOf(event) ?? UNMATCHED,
      status,
      durationMs: start === undefined ? null : Math.round(performance.now() - start),
      requestId: event.requestContext?.requestId,
    });
  };
  return {
    name: 'accessLog',
    before: async (request) => {
      startedAt.set(request.event, performance.now());
    },
    after: async (request) => log(request),
    onError: async (request) => log(request),
  };
}
