import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import { callerOf } from './caller-identity.js';
import { ApiProblem } from './problem.js';
import type { Route, RouteRequest } from './route.js';

const ANONYMOUS = 'anonymous';

/** The route template each event matched, for the access log (events are not ours to extend). */
const matchedRoutes = new WeakMap<object, string>();

export function matchedRouteOf(event: object): string | undefined {
  return matchedRoutes.get(event);
}

function templateMatcher(path: string): RegExp {
  const pattern = path.replace(/[.]/g, '\\.').replace(/\{[^/]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}/?$`);
}

function decodeParam(name: string, raw: string | undefined): string {
  try {
    if (raw !== undefined) return decodeURIComponent(raw);
  } catch (error) {
    throw new ApiProblem('notFound', `The path parameter ${name} is not valid percent-encoding.`, {}, { cause: error });
  }
  throw new ApiProblem('notFound', `The path has no ${name}.`);
}

function requestFor(route: Route, event: APIGatewayProxyEventV2, deps: ApiDeps): RouteRequest {
  const caller = route.anonymous === true ? ANONYMOUS : callerOf(event, deps);
  return { event, deps, caller, param: (name) => decodeParam(name, event.pathParameters?.[name]) };
}

/** middy's router with our routes; a path that exists under other methods answers 405 with Allow. */
export function createRouter(routes: readonly Route[], deps: ApiDeps) {
  const matchers = routes.map((route) => ({ route, matcher: templateMatcher(route.path) }));
  return httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>({
    routes: routes.map((route) => ({
      method: route.method,
      path: route.path,
      handler: async (event: APIGatewayProxyEventV2) => {
        matchedRoutes.set(event, `${route.method} ${route.path}`);
        return route.handle(requestFor(route, event, deps));
      },
    })),
    notFoundResponse: ({ method, path }) => {
      const allowed = matchers.filter(({ matcher }) => matcher.test(path)).map(({ route }) => route.method);
      if (allowed.length === 0) throw new ApiProblem('notFound', `There is no route ${path.slice(0, 200)}.`);
      throw new ApiProblem('methodNotAllowed', `${method.slice(0, 20)} is not allowed here; use ${allowed.join(', ')}.`, {
        headers: { allow: allowed.join(', ') },
      });
    },
  });
}
