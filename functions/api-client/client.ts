import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/management-api.js';

/*
 * The one typed client of the management API, generated from the project's own OpenAPI document:
 * the web console (in the browser), the ksefq command line and the end-to-end tests all call the
 * API through it. It runs wherever `fetch` does (no Node modules), authenticates with the local
 * bearer token or hands each request to a signer (SigV4 on AWS), and turns every problem+json
 * answer into an ApiProblemError that keeps the problem as the API sent it.
 */

export type ManagementApiPaths = paths;
export type ApiSchemas = components['schemas'];
export type Problem = ApiSchemas['Problem'];
export type ManagementApi = Client<paths>;

/** Signs a request before it goes out (e.g. SigV4); returns the request to send. */
export type RequestSigner = (request: Request) => Promise<Request>;

export interface ApiClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3000` or an API Gateway stage URL. */
  readonly baseUrl: string;
  /** Local mode's bearer token. */
  readonly token?: string;
  /** Called last for every request: SigV4 on AWS. */
  readonly sign?: RequestSigner;
  /** Default: the global fetch. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export function createApiClient(options: ApiClientOptions): ManagementApi {
  const doFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: doFetch });
  client.use({
    async onRequest({ request }) {
      if (options.token !== undefined) request.headers.set('authorization', `Bearer ${options.token}`);
      return options.sign === undefined ? request : options.sign(request);
    },
  });
  return client;
}

/** The API answered with a problem (RFC 9457); `problem` is its body, or one made from the status. */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';
  constructor(
    readonly problem: Problem,
    readonly response: Response,
  ) {
    super(problemLine(problem));
  }

  get status(): number {
    return this.problem.status;
  }
}

/** The API could not be reached at all (no answer: DNS, refused connection, TLS, timeout). */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`Cannot reach the API at ${url}: ${messageOf(options.cause)}`, options);
  }
}

/** One readable line: the title, the detail and each bad field. */
export function problemLine(problem: Problem): string {
  const fields = (problem.errors ?? []).map((issue) => `${issue.field}: ${issue.reason}`);
  const schema = (problem.schemaErrors ?? []).slice(0, 3).map((issue) => `line ${issue.line}: ${issue.message}`);
  const detail = problem.detail && problem.detail !== problem.title ? `${problem.title}: ${problem.detail}` : problem.title;
  return [detail, ...fields, ...schema].join('; ');
}

interface FetchResult<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * Awaits one call of the typed client and returns its data and response, or throws
 * ApiProblemError (the API refused) or ApiUnreachableError (no answer).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>, url = 'the API'): Promise<{ readonly data: T; readonly response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    throw new ApiUnreachableError(url, { cause: error });
  }
  if (result.response.ok) return { data: result.data as T, response: result.response };
  throw new ApiProblemError(problemOf(result.error, result.response), result.response);
}

/** The entity tag of a response (`"3"`), for the If-Match of the next write. */
export function etagOf(response: Response): string | undefined {
  return response.headers.get('etag') ?? undefined;
}

function problemOf(body: unknown, response: Response): Problem {
  if (isProblem(body)) return body;
  const title = response.statusText || `HTTP ${response.status}`;
  const detail = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 500) : title;
  return { type: 'about:blank', title, status: response.status, detail, instance: new URL(response.url || 'http://unknown/').pathname };
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.title === 'string' && typeof candidate.status === 'number';
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
