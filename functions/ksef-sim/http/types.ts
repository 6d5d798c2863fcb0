import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  readonly method: string;
  /** Path without the `/v2` prefix, e.g. `/sessions/online`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly clientIp: string;
  /** Absolute origin the client used, e.g. `http://127.0.0.1:3001`, for links in responses. */
  readonly origin: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  readonly body?: unknown;
}

export type SimHandler = (req: SimRequest) => Promise<SimResponse> | SimResponse;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function noContent(): SimResponse {
  return { status: 204 };
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
