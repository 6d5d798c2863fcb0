import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemUri } from '../problem.js';
import { API_TAGS, type ProblemStatus } from '../route.js';
import { ROUTE_TABLE } from '../route-table.js';
import { header, pathsOf, ref, type Json } from './operations.js';
import { PARAMETERS } from './parameters.js';
import { jsonSchemas } from './schemas.js';

/*
 * The OpenAPI 3.1 document the API serves at GET /openapi.json. Its operations derive from the
 * route table (route-table.ts), its parameters are openapi/parameters.ts, its schemas the zod
 * schemas converted to JSON Schema; the problem responses and headers are described here.
 */

const PROBLEM_DESCRIPTIONS: Readonly<Record<ProblemStatus, string>> = {
  400: 'Bad input: an If-Match that is not * or quoted entity tags, invalid JSON, a body that is not an object, a wrong Content-Type, or invalid fields (each named in `errors`); an invoice that is not valid FA(3) XML lists every schema error in `schemaErrors`.',
  401: 'No verified identity (no valid bearer token in local mode).',
  404: 'No such resource: an unknown code unit (the detail lists the five), no entry for it yet, no such run, document or recipient; or a document that exists but has no UPO yet (upo-not-yet) or will get none, with the reason (no-upo).',
  409: 'The change conflicts with the current state: an entry that cannot make it in its status (e.g. delete while InProcess, or Ready when expiresAt leaves it no run: change expiresAt first), an invoice number already submitted with different content, or a Rejected invoice submitted again unchanged (Location points at that document), or a release of a document that is not Held.',
  412: 'If-Match does not match the current version; the ETag header carries the current one.',
  413: 'The request body is too large.',
  415: 'The body is not of a media type the route takes (POST /documents takes application/xml); `errors` names Content-Type.',
  428: 'If-Match is required for this change.',
  500: 'An unexpected error; details are in the log only.',
  503: 'The data store is not answering (retry after the Retry-After seconds), or this part of the API is not configured on this deployment (no Retry-After).',
};

const PROBLEM_HEADERS: Readonly<Partial<Record<ProblemStatus, readonly string[]>>> = {
  401: ['WWW-Authenticate'],
  409: ['ConflictLocation'],
  412: ['CurrentETag'],
  503: ['Retry-After'],
};

/** Component names that differ from the header they describe. */
const HEADER_NAMES: Readonly<Record<string, string>> = { CurrentETag: 'ETag', ConflictLocation: 'Location' };

const etagSchema = { type: 'string', pattern: '^"\\d+"$' };

function problemResponse(status: ProblemStatus): Json {
  const headers = PROBLEM_HEADERS[status] ?? [];
  return {
    description: PROBLEM_DESCRIPTIONS[status],
    ...(headers.length === 0 ? {} : { headers: Object.fromEntries(headers.map((name) => [HEADER_NAMES[name] ?? name, header(name)])) }),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
  };
}

function components(): Json {
  const statuses = Object.keys(PROBLEM_DESCRIPTIONS).map((status) => Number(status) as ProblemStatus);
  return {
    schemas: jsonSchemas(),
    responses: Object.fromEntries(statuses.map((status) => [`Problem${status}`, problemResponse(status)])),
    parameters: PARAMETERS,
    headers: {
      ETag: { description: 'The entry version in quotes, e.g. "3".', required: true, schema: etagSchema },
      CurrentETag: { description: 'The current version of the entry, when it still exists.', required: false, schema: etagSchema },
      Location: { description: 'Path of the created or accepted resource.', required: true, schema: { type: 'string' } },
      ConflictLocation: { description: 'Path of the document that holds the invoice number, on a 409 of POST /documents.', required: false, schema: { type: 'string' } },
      'Content-Disposition': { description: 'attachment, with a file name made from the invoice or KSeF number.', required: true, schema: { type: 'string', pattern: '^attachment; filename=' } },
      Link: { description: 'The next page, rel="next" (RFC 8288); absent on the last page.', required: false, schema: { type: 'string' } },
      'WWW-Authenticate': { description: 'The scheme to authenticate with.', required: true, schema: { type: 'string' } },
      'Retry-After': { description: 'Seconds to wait before retrying; absent when retrying cannot help (not configured).', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
    },
    securitySchemes: {
      sigv4: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        description: 'On AWS: IAM authorization; sign requests with AWS Signature Version 4 (service execute-api).',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
      bearer: { type: 'http', scheme: 'bearer', description: 'In local mode: the token from API_TOKEN, or the one printed at start.' },
    },
  };
}

/** Built once per process: the document does not change while it runs. */
let cached: Json | undefined;

export function openApiDocument(): Json {
  cached ??= {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'KSeF Job Queues management API',
      version: '1.0.0',
      description: `Manage the job queues of the KSeF pipeline. Errors are RFC 9457 problem details whose \`type\` is one of: ${Object.keys(PROBLEM_TYPES)
        .map((kind) => problemUri(kind as keyof typeof PROBLEM_TYPES))
        .join(', ')}.`,
    },
    security: [{ sigv4: [] }, { bearer: [] }],
    tags: Object.entries(API_TAGS).map(([name, description]) => (description === null ? { name } : { name, description })),
    paths: pathsOf(ROUTE_TABLE),
    components: components(),
  };
  return cached;
}
