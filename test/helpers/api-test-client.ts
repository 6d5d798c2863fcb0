import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { expect } from 'vitest';
import type { ApiDeps } from '../../functions/api/api-deps.js';
import { createApiHandler, type ApiHandler } from '../../functions/api/create-api-handler.js';
import { MemoryEntryRepository } from '../../functions/adapters/memory/memory-entry-repository.js';
import { MemoryRunLogRepository } from '../../functions/adapters/memory/memory-run-log-repository.js';
import { MemoryScheduleGateway } from '../../functions/adapters/memory/memory-schedule-gateway.js';
import { cryptoIds } from '../../functions/adapters/system/crypto-ids.js';
import type { ManualRunRequest, RunLauncher } from '../../functions/ports/run-launcher.js';
import { conformanceProblems } from '../api/openapi-conformance.js';
import { ManualClock } from './manual-clock.js';
import { RecordingLogger } from './recording-logger.js';

export const ADMIN_ARN = 'arn:aws:iam::123456789012:user/ksef-admin';

/** Remembers manual runs instead of starting them: the API answers before a run starts anyway. */
export class RecordingRunLauncher implements RunLauncher {
  readonly launched: ManualRunRequest[] = [];

  async launch(request: ManualRunRequest): Promise<void> {
    this.launched.push(request);
  }
}

export { RecordingLogger, type LogLine } from './recording-logger.js';

export interface ApiRequestOptions {
  /** An object is sent as JSON (with Content-Type: application/json unless headers say otherwise); a string as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The IAM principal API Gateway verified; `null` sends no authorizer at all. Default ADMIN_ARN. */
  readonly iamArn?: string | null;
  readonly isBase64Encoded?: boolean;
}

export interface ApiTestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body's bytes as the client gets them (base64 bodies decoded). */
  readonly bytes: Buffer;
  /** The parsed JSON body, or undefined when there is none or it is not JSON. */
  readonly body: any;
}

export function apiGatewayEvent(method: string, url: string, options: ApiRequestOptions = {}): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = url.split(/\?(.*)/s);
  const search = new URLSearchParams(rawQueryString);
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  const bodyText = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(options.body !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const iamArn = options.iamArn === undefined ? ADMIN_ARN : options.iamArn;
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'test.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'test',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(16).slice(2)}`,
      routeKey: `${method} ${rawPath}`,
      stage: '$default',
      time: '02/Mar/2026:08:00:00 +0000',
      timeEpoch: 0,
      ...(iamArn === null ? {} : { authorizer: { iam: { userArn: iamArn, accessKey: 'AKIA', accountId: '123456789012', callerId: 'AIDA', principalOrgId: null, userId: 'AIDA' } } }),
    },
    ...(bodyText === undefined ? {} : { body: bodyText }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  } as APIGatewayProxyEventV2;
}

const context = { awsRequestId: 'test', functionName: 'api' } as Context;

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;

function normalize(result: APIGatewayProxyResultV2): ApiTestResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) throw new Error('The handler did not answer with a structured result.');
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  // What API Gateway sends the client: a base64 body decoded to its bytes.
  const bytes = Buffer.from(result.body ?? '', result.isBase64Encoded === true ? 'base64' : 'utf8');
  const text = bytes.toString('utf8');
  const isJson = JSON_MEDIA_TYPE.test(headers['content-type'] ?? '');
  return { status: result.statusCode ?? 200, headers, text, bytes, body: text === '' || !isJson ? undefined : JSON.parse(text) };
}

/** Calls the real handler on memory adapters, with a fresh event per call; checks each response against the OpenAPI document. */
export function createApiTestClient(overrides: Partial<ApiDeps> = {}) {
  const clock = new ManualClock('2026-03-02T08:00:00.000Z');
  const logger = new RecordingLogger();
  const launcher = new RecordingRunLauncher();
  const deps: ApiDeps = {
    entries: new MemoryEntryRepository(),
    runs: new MemoryRunLogRepository({ clock }),
    schedules: new MemoryScheduleGateway(),
    launcher,
    clock,
    ids: cryptoIds,
    logger,
    ...overrides,
  };
  const handler: ApiHandler = createApiHandler(deps);
  const request = async (method: string, url: string, options: ApiRequestOptions = {}): Promise<ApiTestResponse> => {
    const response = normalize(await handler(apiGatewayEvent(method, url, options), context));
    expect(conformanceProblems(method, url, response), `${method} ${url} → ${response.status} conforms to the OpenAPI document`).toEqual([]);
    return response;
  };
  return { deps, clock, logger, launcher, handler, request };
}

export type ApiTestClient = ReturnType<typeof createApiTestClient>;
