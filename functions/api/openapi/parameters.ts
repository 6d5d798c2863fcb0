import { RUN_PAGE_LIMITS } from '../query.js';

/*
 * The request parameters of the API, by OpenAPI component name (#/components/parameters/<name>).
 * Routes name their query and header parameters from here; their path parameters are found here by
 * the name in the path template (`{codeUnit}` is CodeUnit), so one name means one thing API-wide and
 * a route cannot leave a path parameter undocumented.
 */

interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;

export const PARAMETERS = {
  CodeUnit: { name: 'codeUnit', in: 'path', required: true, schema: schemaRef('CodeUnitId') },
  RunId: { name: 'runId', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } },
  Email: {
    name: 'email',
    in: 'path',
    required: true,
    description: 'The e-mail address (percent-encoded where needed); compared case-insensitively.',
    schema: { type: 'string', maxLength: 254 },
  },
  DocumentId: { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' } },
  KsefNumber: { name: 'ksefNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9A-Z-]{35,36}$' } },
  DocumentStatusFilter: { name: 'status', in: 'query', required: false, schema: schemaRef('DocumentStatus') },
  IssuedFrom: { name: 'from', in: 'query', required: false, description: 'Issue date (Fa/P_1) from, inclusive.', schema: { type: 'string', format: 'date' } },
  IssuedTo: { name: 'to', in: 'query', required: false, description: 'Issue date (Fa/P_1) to, inclusive.', schema: { type: 'string', format: 'date' } },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'ETag of what you read, quoted as sent (e.g. "3"), or *; the change is refused (412) if it changed since. An unquoted version is a 400; a weak tag (W/"3") never matches (strong comparison).',
    schema: { type: 'string' },
  },
  IfMatchRequired: {
    name: 'If-Match',
    in: 'header',
    required: true,
    description: 'ETag of the entry you read, quoted as sent (e.g. "3"), or *; missing: 428; unquoted: 400; stale or weak (W/"3"): 412.',
    schema: { type: 'string' },
  },
  Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: RUN_PAGE_LIMITS.min, maximum: RUN_PAGE_LIMITS.max } },
  Cursor: { name: 'cursor', in: 'query', required: false, description: 'nextCursor of the previous page.', schema: { type: 'string' } },
} as const satisfies Readonly<Record<string, ParameterObject>>;

type Parameters = typeof PARAMETERS;
type ParameterIn<Where extends ParameterObject['in']> = { [K in keyof Parameters]: Parameters[K]['in'] extends Where ? K : never }[keyof Parameters];

/** Component names of the query parameters, e.g. `Limit`. */
export type QueryParameter = ParameterIn<'query'>;
/** Component names of the header parameters: `IfMatch` (optional) and `IfMatchRequired`. */
export type HeaderParameter = ParameterIn<'header'>;
/** Names a path template may use, e.g. `codeUnit` in `/queues/{codeUnit}`. */
export type PathParameterName = Parameters[ParameterIn<'path'>]['name'];
/** The name in the query string of a query parameter component (`Limit` → `limit`). */
export type QueryName<Q extends QueryParameter> = Parameters[Q]['name'];

/** The component of a path parameter by its name in the template. */
export function pathParameterComponent(name: string): keyof Parameters {
  const found = (Object.keys(PARAMETERS) as (keyof Parameters)[]).find((key) => PARAMETERS[key].in === 'path' && PARAMETERS[key].name === name);
  if (found === undefined) throw new RangeError(`No path parameter {${name}} in openapi/parameters.ts.`);
  return found;
}
