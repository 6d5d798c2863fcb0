import type { DeclaredRoute, InlineSchema, ProblemStatus, RequestBodyDeclaration, ResponseDeclaration } from '../route.js';
import { pathParameterComponent, type PARAMETERS } from './parameters.js';
import type { ApiSchemaName } from './schemas.js';

/* The paths of the OpenAPI document, derived from the route table's declarations. */

export type Json = Record<string, unknown>;

export const ref = (name: ApiSchemaName): Json => ({ $ref: `#/components/schemas/${name}` });
export const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });
const param = (name: keyof typeof PARAMETERS): Json => ({ $ref: `#/components/parameters/${name}` });
const problem = (status: number): Json => ({ $ref: `#/components/responses/Problem${status}` });

export const XML_MEDIA_TYPE = 'application/xml';

const schemaOf = (schema: ApiSchemaName | InlineSchema): Json => (typeof schema === 'string' ? ref(schema) : { ...schema });

/** `{codeUnit}` in `/queues/{codeUnit}/runs` → CodeUnit. */
const pathParamsOf = (path: string): Json[] => [...path.matchAll(/\{([^/{}]+)\}/g)].map(([, name]) => param(pathParameterComponent(name ?? '')));

function responseOf(response: ResponseDeclaration): Json {
  const headers = response.headers.length === 0 ? {} : { headers: Object.fromEntries(response.headers.map((name) => [name, header(name)])) };
  if (response.body === null) return { description: response.description, ...headers };
  const content =
    response.body === 'xml'
      ? { [XML_MEDIA_TYPE]: { schema: { type: 'string', description: 'The XML document, byte for byte as stored.' } } }
      : { 'application/json': { schema: schemaOf(response.body.json) } };
  return { description: response.description, ...headers, content };
}

function requestBodyOf(body: RequestBodyDeclaration): Json {
  const description = body.description === undefined ? {} : { description: body.description };
  return { required: true, ...description, content: Object.fromEntries(body.mediaTypes.map((type) => [type, { schema: schemaOf(body.schema) }])) };
}

/**
 * The problems a route may answer: every route's (bad input, a body over the limit, a defect),
 * 401 and 503 behind authentication (no identity; the data store or a part of the deployment
 * missing), 404 where a path parameter names the resource (or is not valid percent-encoding), 412
 * where If-Match is taken and 428 where it is required, and those the route declares.
 */
export function problemStatusesOf(route: DeclaredRoute): ProblemStatus[] {
  const headers = route.request?.headers ?? [];
  const statuses: ProblemStatus[] = [
    400,
    413,
    500,
    ...(route.anonymous === true ? [] : ([401, 503] as const)),
    ...(route.path.includes('{') ? ([404] as const) : []),
    ...(headers.length > 0 ? ([412] as const) : []),
    ...(headers.includes('IfMatchRequired') ? ([428] as const) : []),
    ...(route.problems ?? []),
  ];
  return [...new Set(statuses)].sort((a, b) => a - b);
}

function operationOf(route: DeclaredRoute): Json {
  const parameters = [...(route.request?.query ?? []), ...(route.request?.headers ?? [])].map(param);
  const success = Object.entries(route.responses).flatMap(([status, response]) => (response === undefined ? [] : [[status, responseOf(response)]]));
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [...route.tags],
    // Local mode serves it without the token; on AWS it is behind IAM like every route.
    ...(route.anonymous === true ? { security: [{}, { sigv4: [] }] } : {}),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.request?.body === undefined ? {} : { requestBody: requestBodyOf(route.request.body) }),
    responses: Object.fromEntries([...success, ...problemStatusesOf(route).map((status) => [String(status), problem(status)])]),
  };
}

/** The paths object: one path item per path, its path parameters once, one operation per route. */
export function pathsOf(routes: readonly DeclaredRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const parameters = pathParamsOf(route.path);
    paths[route.path] ??= parameters.length === 0 ? {} : { parameters };
    (paths[route.path] as Json)[route.method.toLowerCase()] = operationOf(route);
  }
  return paths;
}
