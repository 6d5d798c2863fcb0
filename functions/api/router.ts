import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import { callerOf } from './caller-identity.js';
import { PARAMETERS } from './openapi/parameters.js';
import { ApiProblem } from './problem.js';
import { readQuery } from './query.js';
import type { Route, RouteMethod, RouteRequest } from './route.js';
import { ROUTE_TABLE } from './route-table.js';

/*
 * Request matching, from the route table. Written here rather than with @middy/http-router: the API
 * tells a path that does not exist (404) from a method the path does not take (405 with Allow), and
 * middy's router keeps its compiled paths to itself, so answering 405 meant compiling every path a
 * second time. Here one pattern per route answers both, and this is the only place paths are matched.
 * It behaves as middy's router did: the path of requestContext.http, an optional trailing slash,
 * literal routes before parameterised ones, API Gateway's path parameters over the matched ones.
 */

const ANONYMOUS = 'anonymous';

interface CompiledRoute<R> {
  readonly route: R;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

export type RouteMatch<R> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly RouteMethod[] }
  | { readonly kind: 'notFound' };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile<R extends { readonly path: string }>(route: R): CompiledRoute<R> {
  const paramNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([^/{}]+)\}$/.exec(segment);
      if (param === null) return escapeRegExp(segment);
      paramNames.push(param[1] ?? '');
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), paramNames };
}

/** Finds the route of a method and path; says which methods the path takes when none matches. */
export function createRouteMatcher<R extends { readonly method: RouteMethod; readonly path: string }>(routes: readonly R[]) {
  const compiled = routes.map((route) => compile(route));
  const byMethod = new Map<string, CompiledRoute<R>[]>();
  // Literal routes first, as in API Gateway (`/a/b` wins over `/a/{x}`); table order otherwise.
  for (const route of [...compiled].sort((a, b) => a.paramNames.length - b.paramNames.length)) {
    byMethod.set(route.route.method, [...(byMethod.get(route.route.method) ?? []), route]);
  }
  return (method: string, path: string): RouteMatch<R> => {
    for (const candidate of byMethod.get(method) ?? []) {
      const match = candidate.pattern.exec(path);
      if (match !== null) {
        return { kind: 'found', route: candidate.route, params: Object.fromEntries(candidate.paramNames.map((name, i) => [name, match[i + 1] ?? ''])) };
      }
    }
    const allow = compiled.filter(({ pattern }) => pattern.test(path)).map(({ route }) => route.method);
    return allow.length === 0 ? { kind: 'notFound' } : { kind: 'methodNotAllowed', allow };
  };
}

const matchAnonymous = createRouteMatcher(ROUTE_TABLE.filter((route) => route.anonymous === true));

/** Whether the request is for a route served without authentication (for local mode's token check). */
export const isAnonymousRoute = (method: string, path: string): boolean => matchAnonymous(method, path).kind === 'found';

/** The route template each event matched, for the access log (events are not ours to extend). */
const matchedRoutes = new WeakMap<object, string>();

export function matchedRouteOf(event: object): string | undefined {
  return matchedRoutes.get(event);
}

function decodeParam(name: string, raw: string | undefined): string {
  try {
    if (raw !== undefined) return decodeURIComponent(raw);
  } catch (error) {
    throw new ApiProblem('notFound', `The path parameter ${name} is not valid percent-encoding.`, {}, { cause: error });
  }
  throw new ApiProblem('notFound', `The path has no ${name}.`);
}

function requestFor(route: Route, params: Readonly<Record<string, string>>, event: APIGatewayProxyEventV2, deps: ApiDeps): RouteRequest {
  const caller = route.anonymous === true ? ANONYMOUS : callerOf(event, deps);
  const queryNames = (route.request?.query ?? []).map((component) => PARAMETERS[component].name);
  // API Gateway's own path parameters, when it sends them, over the ones matched here.
  const pathParams: Readonly<Record<string, string | undefined>> = { ...params, ...event.pathParameters };
  return { event, deps, caller, param: (name) => decodeParam(name, pathParams[name]), query: () => readQuery(event, queryNames) };
}

/** The handler behind middy: a route's handler, or a 404 or 405 (with Allow) problem. */
export function createRouter(routes: readonly Route[], deps: ApiDeps) {
  const match = createRouteMatcher(routes);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const { method, path } = event.requestContext.http;
    const found = match(method, path);
    if (found.kind === 'notFound') throw new ApiProblem('notFound', `There is no route ${path.slice(0, 200)}.`);
    if (found.kind === 'methodNotAllowed') {
      throw new ApiProblem('methodNotAllowed', `${method.slice(0, 20)} is not allowed here; use ${found.allow.join(', ')}.`, {
        headers: { allow: found.allow.join(', ') },
      });
    }
    matchedRoutes.set(event, `${found.route.method} ${found.route.path}`);
    return found.route.handle(requestFor(found.route, found.params, event, deps));
  };
}
