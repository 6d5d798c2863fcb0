import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SchedulerApiError, validation } from './api-errors.js';
import type { Query, SchedulerOperations } from './scheduler-operations.js';

/*
 * The REST-JSON wire protocol of EventBridge Scheduler as @aws-sdk/client-scheduler speaks it
 * (paths, methods and query names from its service model). SigV4 signatures are not checked:
 * any credentials are accepted.
 */

type Handler = (ops: SchedulerOperations, name: string, query: Query, body: unknown) => Promise<unknown> | unknown;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: Handler;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/schedules\/([^/]+)$/, handle: (ops, name, _q, body) => ops.createSchedule(name, body) },
  { method: 'PUT', pattern: /^\/schedules\/([^/]+)$/, handle: (ops, name, _q, body) => ops.updateSchedule(name, body) },
  { method: 'GET', pattern: /^\/schedules\/([^/]+)$/, handle: (ops, name, query) => ops.getSchedule(name, query) },
  { method: 'DELETE', pattern: /^\/schedules\/([^/]+)$/, handle: (ops, name, query) => ops.deleteSchedule(name, query) },
  { method: 'GET', pattern: /^\/schedules$/, handle: (ops, _n, query) => ops.listSchedules(query) },
  { method: 'POST', pattern: /^\/schedule-groups\/([^/]+)$/, handle: (ops, name) => ops.createScheduleGroup(name) },
  { method: 'GET', pattern: /^\/schedule-groups\/([^/]+)$/, handle: (ops, name) => ops.getScheduleGroup(name) },
  { method: 'DELETE', pattern: /^\/schedule-groups\/([^/]+)$/, handle: (ops, name) => ops.deleteScheduleGroup(name) },
  { method: 'GET', pattern: /^\/schedule-groups$/, handle: (ops, _n, query) => ops.listScheduleGroups(query) },
];

export function createRequestListener(ops: SchedulerOperations): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handleRequest(ops, request)
      .then((body) => send(response, 200, body))
      .catch((error: unknown) => {
        if (error instanceof SchedulerApiError) {
          send(response, error.status, { message: error.message }, error.type);
        } else {
          send(response, 500, { message: error instanceof Error ? error.message : String(error) }, 'InternalServerException');
        }
      });
  };
}

async function handleRequest(ops: SchedulerOperations, request: IncomingMessage): Promise<unknown> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const candidates = ROUTES.filter((route) => route.pattern.test(path));
  const route = candidates.find((candidate) => candidate.method === request.method);
  if (!route) {
    throw new SchedulerApiError('ValidationException', candidates.length > 0 ? `Method ${request.method} is not allowed on ${path}.` : `Unknown operation ${request.method} ${path}.`);
  }
  const name = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
  const query: Query = Object.fromEntries(url.searchParams.entries());
  return route.handle(ops, name, query, await readJson(request));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validation('The request body is not valid JSON.');
  }
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}
