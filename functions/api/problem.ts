import type { FieldIssue, SchemaIssue } from '../domain/errors.js';
import { KsefJobError } from '../domain/errors.js';

/** Stable problem type URIs (RFC 9457); scripts may branch on them, so never rename one. */
export const PROBLEM_BASE_URI = 'https://ksef-job-queues.dev/problems/';

export const PROBLEM_TYPES = {
  invalidBody: { slug: 'invalid-body', status: 400, title: 'The request body is not a JSON object' },
  validation: { slug: 'validation', status: 400, title: 'The request has invalid fields' },
  invalidDocument: { slug: 'invalid-document', status: 400, title: 'The document is not valid FA(3) XML' },
  unauthenticated: { slug: 'unauthenticated', status: 401, title: 'Authentication is required' },
  notFound: { slug: 'not-found', status: 404, title: 'No such resource' },
  unknownCodeUnit: { slug: 'unknown-code-unit', status: 404, title: 'Unknown code unit' },
  entryNotFound: { slug: 'entry-not-found', status: 404, title: 'The job queue entry does not exist' },
  runNotFound: { slug: 'run-not-found', status: 404, title: 'The run does not exist' },
  documentNotFound: { slug: 'document-not-found', status: 404, title: 'The document does not exist' },
  upoNotYet: { slug: 'upo-not-yet', status: 404, title: 'The document exists but has no UPO yet' },
  noUpo: { slug: 'no-upo', status: 404, title: 'The document exists but will get no UPO' },
  recipientNotFound: { slug: 'recipient-not-found', status: 404, title: 'The recipient does not exist' },
  methodNotAllowed: { slug: 'method-not-allowed', status: 405, title: 'Method not allowed' },
  illegalTransition: { slug: 'illegal-transition', status: 409, title: 'The entry cannot make this change now' },
  entryExists: { slug: 'entry-exists', status: 409, title: 'The job queue entry already exists' },
  conflict: { slug: 'conflict', status: 409, title: 'The request conflicts with what is stored' },
  versionConflict: { slug: 'version-conflict', status: 412, title: 'The entry has changed since you read it' },
  payloadTooLarge: { slug: 'payload-too-large', status: 413, title: 'The request body is too large' },
  unsupportedMediaType: { slug: 'unsupported-media-type', status: 415, title: 'The request body is not of a media type this route takes' },
  preconditionRequired: { slug: 'precondition-required', status: 428, title: 'If-Match is required' },
  internal: { slug: 'internal', status: 500, title: 'Internal server error' },
  unavailable: { slug: 'unavailable', status: 503, title: 'The service is temporarily unavailable' },
  notConfigured: { slug: 'not-configured', status: 503, title: 'This part of the API is not configured' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors?: readonly FieldIssue[];
  /** Every XML schema error of a refused document (line, element, message). */
  readonly schemaErrors?: readonly SchemaIssue[];
}

/** An error that already knows the problem it answers with. */
export class ApiProblem extends KsefJobError {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly extras: { readonly errors?: readonly FieldIssue[]; readonly headers?: Readonly<Record<string, string>> } = {},
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

export function problemUri(kind: ProblemKind): string {
  return `${PROBLEM_BASE_URI}${PROBLEM_TYPES[kind].slug}`;
}

/** Details may quote the request (a code unit, a path): cap them so that a huge input is not echoed. */
const MAX_DETAIL_LENGTH = 500;
const MAX_ISSUES = 50;
/** Enough for every error of any invoice an admin would fix by hand; the detail gives the total. */
export const MAX_SCHEMA_ERRORS = 1000;

const capped = (text: string): string => (text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text);

export function problemDetails(
  kind: ProblemKind,
  detail: string,
  instance: string,
  errors?: readonly FieldIssue[],
  schemaErrors?: readonly SchemaIssue[],
): ProblemDetails {
  const { status, title } = PROBLEM_TYPES[kind];
  const issues = errors?.slice(0, MAX_ISSUES).map((issue) => ({ field: capped(issue.field), reason: capped(issue.reason) }));
  const schemaIssues = schemaErrors
    ?.slice(0, MAX_SCHEMA_ERRORS)
    .map((issue) => ({ line: issue.line, element: issue.element === null ? null : capped(issue.element), message: capped(issue.message) }));
  return {
    type: problemUri(kind),
    title,
    status,
    detail: capped(detail),
    instance: capped(instance),
    ...(issues === undefined ? {} : { errors: issues }),
    ...(schemaIssues === undefined ? {} : { schemaErrors: schemaIssues }),
  };
}
