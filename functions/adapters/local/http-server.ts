import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ApiHandler } from '../../api/create-api-handler.js';
import { problemDetails, PROBLEM_CONTENT_TYPE, type ProblemDetails, type ProblemKind } from '../../api/problem.js';
import { isAnonymousRoute } from '../../api/router.js';

/*
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): each request becomes an
 * APIGatewayProxyEventV2 for the same middy handler as on AWS. Where API Gateway checks IAM, this
 * server checks the bearer token; the event's authorizer stays empty, as no IAM principal exists.
 */

export interface LocalApiServerOptions {
  readonly handler: ApiHandler;
  /** The bearer token every route but GET /openapi.json requires. */
  readonly token: string;
  /** Larger bodies get 413; API Gateway's own limit is far above what this API needs. */
  readonly maxBodyBytes?: number;
  /** What a handler may take, like API Gateway's integration timeout. */
  readonly timeoutMs?: number;
}

export interface RunningLocalApiServer {
  readonly server: Server;
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  close(): Promise<void>;
}

/** Room for the largest invoice KSeF takes (3 MB with attachments); API Gateway's own limit is 10 MB. */
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 29_000;
const TEXT_MEDIA_TYPE = /^(text\/|application\/([\w.-]+\+)?(json|xml)|application\/x-www-form-urlencoded)/i;
/**
 * XML travels base64-encoded, byte for byte: an invoice's bytes are what is hashed, stored and sent
 * to KSeF, so they must not be decoded here (invalid UTF-8 would silently become U+FFFD).
 */
const XML_MEDIA_TYPE = /^(text|application)\/([\w.-]+\+)?xml\s*(;|$)/i;

class BodyTooLargeError extends Error {}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares digests, so the time taken tells nothing about the token, not even its length. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (value !== undefined) headers[name.toLowerCase()] = value.join(',');
  }
  return headers;
}

function queryOf(search: URLSearchParams): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  return Object.keys(query).length === 0 ? undefined : query;
}

/** The event API Gateway would send for `request` (payload format 2.0). */
export function toApiGatewayEvent(request: IncomingMessage, body: Buffer, now: Date = new Date()): APIGatewayProxyEventV2 {
  const rawUrl = request.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
  const headers = headersOf(request);
  const method = (request.method ?? 'GET').toUpperCase();
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || (TEXT_MEDIA_TYPE.test(contentType) && !XML_MEDIA_TYPE.test(contentType));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(headers.cookie === undefined ? {} : { cookies: headers.cookie.split(/;\s*/) }),
    headers,
    queryStringParameters: queryOf(new URLSearchParams(rawQueryString)),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: !isText,
  };
}

function lambdaContext(requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'management-api-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:management-api-local',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function writeProblem(response: ServerResponse, problem: ProblemDetails, headers: Record<string, string> = {}): void {
  response.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(problem));
}

function problemFor(kind: ProblemKind, detail: string, path: string): ProblemDetails {
  return problemDetails(kind, detail, path);
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string' || typeof result !== 'object' || result === null || !('statusCode' in result)) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies !== undefined && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded === true ? Buffer.from(body, 'base64') : body);
}

function unauthenticated(response: ServerResponse, path: string, presented: boolean): void {
  const detail = presented ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token> (API_TOKEN, or the token printed at start).';
  const challenge = presented ? 'Bearer realm="ksef-job-queues", error="invalid_token"' : 'Bearer realm="ksef-job-queues"';
  writeProblem(response, problemFor('unauthenticated', detail, path), { 'www-authenticate': challenge });
}

/** A node:http server that serves the management API handler behind a bearer token. */
export function createLocalApiServer(options: LocalApiServerOptions): Server {
  if (options.token.length === 0) throw new RangeError('The local API token must not be empty.');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      try {
        if (!isAnonymousRoute(request.method ?? 'GET', path)) {
          const presented = bearerTokenOf(request.headers.authorization);
          if (presented === undefined || !tokenMatches(presented, options.token)) {
            request.resume();
            unauthenticated(response, path, request.headers.authorization !== undefined);
            return;
          }
        }
        const event = toApiGatewayEvent(request, await readBody(request, maxBodyBytes));
        writeResult(response, await options.handler(event, lambdaContext(event.requestContext.requestId, timeoutMs)));
      } catch (error) {
        if (response.headersSent) {
          response.destroy();
        } else if (error instanceof BodyTooLargeError) {
          writeProblem(response, problemFor('payloadTooLarge', `The body exceeds ${maxBodyBytes} bytes.`, path), { connection: 'close' });
        } else {
          // The handler answers every error itself; reaching here is a defect of this server.
          console.error('The local API server failed to answer a request', error);
          writeProblem(response, problemFor('internal', 'An unexpected error occurred; it has been logged.', path));
        }
      }
    })();
  });
}

/** Starts the server; port 0 picks a free port. */
export async function startLocalApiServer(
  options: LocalApiServerOptions & { readonly host?: string; readonly port?: number },
): Promise<RunningLocalApiServer> {
  const server = createLocalApiServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
