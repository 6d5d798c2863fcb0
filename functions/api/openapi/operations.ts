import type { ApiSchemaName } from './schemas.js';

/* Building blocks of the operations in the OpenAPI document, shared by the path files. */

export type Json = Record<string, unknown>;

export const ref = (name: ApiSchemaName): Json => ({ $ref: `#/components/schemas/${name}` });
export const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });
export const param = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });
export const problem = (status: number): Json => ({ $ref: `#/components/responses/Problem${status}` });

function withHeaders(headers: readonly string[]): Json {
  return headers.length === 0 ? {} : { headers: Object.fromEntries(headers.map((name) => [name, header(name)])) };
}

export function json(schema: ApiSchemaName, description: string, headers: readonly string[] = []): Json {
  return { description, ...withHeaders(headers), content: { 'application/json': { schema: ref(schema) } } };
}

export const XML_MEDIA_TYPE = 'application/xml';

/** An XML download: the stored bytes as they are. */
export function xml(description: string, headers: readonly string[] = []): Json {
  return { description, ...withHeaders(headers), content: { [XML_MEDIA_TYPE]: { schema: { type: 'string', description: 'The XML document, byte for byte as stored.' } } } };
}

/** Problems every operation may answer. */
const COMMON = [400, 401, 413, 500, 503] as const;

export function responses(success: Json, errors: readonly number[]): Json {
  return { ...success, ...Object.fromEntries([...new Set([...COMMON, ...errors])].sort().map((status) => [String(status), problem(status)])) };
}

/** `extra` may override the tag (`tags`) and add parameters and a request body. */
export function operation(operationId: string, summary: string, extra: Json, success: Json, errors: readonly number[] = []): Json {
  return { operationId, summary, tags: ['queues'], ...extra, responses: responses(success, errors) };
}

export function body(schema: ApiSchemaName, mediaTypes: readonly string[]): Json {
  return { required: true, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: ref(schema) }])) };
}
