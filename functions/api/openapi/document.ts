import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemUri } from '../problem.js';
import { RUN_PAGE_LIMITS } from '../query.js';
import { documentPaths } from './document-paths.js';
import { notificationPaths } from './notification-paths.js';
import { body, header, json, operation, param, problem, ref, type Json } from './operations.js';
import { jsonSchemas } from './schemas.js';

/*
 * The OpenAPI 3.1 document the API serves at GET /openapi.json. Operations are listed here by
 * hand (they are the contract admins' scripts rely on); schemas come from the zod schemas.
 */


const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
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

const PROBLEM_HEADERS: Readonly<Record<number, readonly string[]>> = {
  401: ['WWW-Authenticate'],
  409: ['ConflictLocation'],
  412: ['CurrentETag'],
  503: ['Retry-After'],
};

/** Component names that differ from the header they describe. */
const HEADER_NAMES: Readonly<Record<string, string>> = { CurrentETag: 'ETag', ConflictLocation: 'Location' };

const codeUnitParams = { parameters: [param('CodeUnit')] };

function paths(): Json {
  return {
    '/queues': {
      get: operation('listQueues', 'All five code units with their entry summary (description, status, next run, interval).', {}, {
        200: json('QueueList', 'The queues in pipeline order.'),
      }),
    },
    '/queues/{codeUnit}': {
      ...codeUnitParams,
      post: operation(
        'ensureEntry',
        'Create the entry with the defaults, On Hold; or return the existing one. Never a second entry.',
        {},
        { 201: json('EntryCard', 'Created.', ['ETag', 'Location']), 200: json('EntryCard', 'It existed already.', ['ETag', 'Location']) },
        [404],
      ),
      get: operation('getEntry', 'The entry card with its next five run times and its schedule.', {}, { 200: json('EntryCard', 'The card.', ['ETag']) }, [404]),
      patch: operation(
        'updateEntrySettings',
        'Edit settings; fields left out keep their value, recurrence is merged field by field.',
        { parameters: [param('IfMatchRequired')], requestBody: body('EntrySettingsPatch', ['application/json', 'application/merge-patch+json']) },
        { 200: json('EntryCard', 'The updated card.', ['ETag']) },
        [404, 409, 412, 428],
      ),
      delete: operation(
        'deleteEntry',
        'Delete the entry and its schedule; refused while a run is in process.',
        { parameters: [param('IfMatch')] },
        { 204: { description: 'Deleted.' } },
        [404, 409, 412],
      ),
    },
    '/queues/{codeUnit}/status': {
      ...codeUnitParams,
      post: operation(
        'setEntryStatus',
        'Set Ready (schedule enabled) or On Hold (schedule disabled).',
        { parameters: [param('IfMatch')], requestBody: body('SetStatusRequest', ['application/json']) },
        { 200: json('EntryCard', 'The updated card.', ['ETag']) },
        [404, 409, 412],
      ),
    },
    '/queues/{codeUnit}/run': {
      ...codeUnitParams,
      post: operation(
        'requestRun',
        'Run now, without shifting the schedule; answers before the run starts.',
        {},
        { 202: json('RunAccepted', 'Accepted; follow Location to the run-log row.', ['Location']) },
        [404],
      ),
    },
    '/queues/{codeUnit}/runs': {
      ...codeUnitParams,
      get: operation(
        'listRuns',
        'The run log, newest first, one page at a time.',
        { parameters: [param('Limit'), param('Cursor')] },
        { 200: json('RunPage', 'A page of the run log.', ['Link']) },
        [404],
      ),
    },
    '/queues/{codeUnit}/runs/{runId}': {
      parameters: [param('CodeUnit'), param('RunId')],
      get: operation('getRun', 'One run-log row.', {}, { 200: json('RunLogEntry', 'The run.') }, [404]),
    },
    ...notificationPaths(),
    ...documentPaths(),
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document.',
        tags: ['meta'],
        security: [{}, { sigv4: [] }],
        responses: {
          200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } },
          ...Object.fromEntries([400, 413, 500].map((status) => [String(status), problem(status)])),
        },
      },
    },
  };
}

const etagSchema = { type: 'string', pattern: '^"\\d+"$' };

function components(): Json {
  const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } };
  return {
    schemas: jsonSchemas(),
    responses: Object.fromEntries(
      Object.entries(PROBLEM_DESCRIPTIONS).map(([status, description]) => [
        `Problem${status}`,
        {
          description,
          ...(PROBLEM_HEADERS[Number(status)] ? { headers: Object.fromEntries((PROBLEM_HEADERS[Number(status)] ?? []).map((name) => [HEADER_NAMES[name] ?? name, header(name)])) } : {}),
          content: problemContent,
        },
      ]),
    ),
    parameters: {
      CodeUnit: { name: 'codeUnit', in: 'path', required: true, schema: ref('CodeUnitId') },
      RunId: { name: 'runId', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } },
      Email: { name: 'email', in: 'path', required: true, description: 'The e-mail address (percent-encoded where needed); compared case-insensitively.', schema: { type: 'string', maxLength: 254 } },
      DocumentId: { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' } },
      KsefNumber: { name: 'ksefNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9A-Z-]{35,36}$' } },
      DocumentStatusFilter: { name: 'status', in: 'query', required: false, schema: ref('DocumentStatus') },
      IssuedFrom: { name: 'from', in: 'query', required: false, description: 'Issue date (Fa/P_1) from, inclusive.', schema: { type: 'string', format: 'date' } },
      IssuedTo: { name: 'to', in: 'query', required: false, description: 'Issue date (Fa/P_1) to, inclusive.', schema: { type: 'string', format: 'date' } },
      IfMatch: { name: 'If-Match', in: 'header', required: false, description: 'ETag of what you read, quoted as sent (e.g. "3"), or *; the change is refused (412) if it changed since. An unquoted version is a 400; a weak tag (W/"3") never matches (strong comparison).', schema: { type: 'string' } },
      IfMatchRequired: { name: 'If-Match', in: 'header', required: true, description: 'ETag of the entry you read, quoted as sent (e.g. "3"), or *; missing: 428; unquoted: 400; stale or weak (W/"3"): 412.', schema: { type: 'string' } },
      Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: RUN_PAGE_LIMITS.min, maximum: RUN_PAGE_LIMITS.max } },
      Cursor: { name: 'cursor', in: 'query', required: false, description: 'nextCursor of the previous page.', schema: { type: 'string' } },
    },
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
    tags: [
      { name: 'queues', description: 'Job queue entries and their run log.' },
      { name: 'notifications', description: 'Global e-mail recipients and the log of e-mails sent.' },
      { name: 'documents', description: 'Sales invoices sent to KSeF, purchase invoices received, and the KSeF ledger.' },
      { name: 'meta' },
    ],
    paths: paths(),
    components: components(),
  };
  return cached;
}
