import { KsefRateLimitError, KsefUnknownOutcomeError } from '../../../../ports/ksef-errors.js';
import { errorFromResponse } from './parse-error.js';
import { rateLimitKey } from './rate-limit-groups.js';
import type { RateBudget, Timer } from './rate-budget.js';

export interface KsefWarning {
  readonly method: string;
  readonly path: string;
  /** The raw `X-System-Warning` value: `[code]: message | [code]: message`. */
  readonly message: string;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly budget: RateBudget;
  readonly timer: Timer;
  readonly requestTimeoutMs: number;
  /** Attempts for an idempotent request after a transport failure or 5xx, and for any request after 429. */
  readonly maxAttempts?: number;
  readonly onWarning?: (warning: KsefWarning) => void;
  /** Called for every 429 answer (before the wait it asks for). */
  readonly onRateLimited?: (request: { readonly method: string; readonly path: string; readonly retryAfterMs: number }) => void;
  readonly fetchImpl?: typeof fetch;
  /** The longest wait (budget or Retry-After) before a request; longer ones fail fast so a run can stop in time. */
  readonly maxWaitMs?: number;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET_BEFORE_SEND']);

/** True when the request provably never reached KSeF, so repeating it cannot duplicate anything. */
function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return typeof cause?.code === 'string' && NOT_SENT_CODES.has(cause.code);
}

const isIdempotent = (method: string) => method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'PUT';

/**
 * POSTs that only read (queries with a body) or start nothing that outlives an unused answer (a
 * fresh auth challenge, which expires unused): repeating them after a 5xx or a lost response cannot
 * duplicate anything in KSeF (OpenAPI 2.6.0). Not exports, sessions, sends, token redemption.
 */
const READ_ONLY_POSTS = [/^\/invoices\/query\/metadata$/, /^\/auth\/challenge$/, /^\/permissions\/query\/.+$/, /^\/certificates\/(query|retrieve)$/];

/** True when repeating the request after a 5xx or a lost response is safe. */
export function isSafeToRepeat(method: string, path: string): boolean {
  return isIdempotent(method) || (method === 'POST' && READ_ONLY_POSTS.some((p) => p.test(path)));
}

/**
 * The one door to KSeF: adds `X-Error-Format: problem-details`, keeps every request within the
 * rate-limit budget, times requests out, surfaces `X-System-Warning`, turns error statuses into typed
 * errors, waits `Retry-After` on 429, and repeats only what is safe to repeat (GETs and the POSTs that
 * change nothing, such as the metadata query). Any other POST answered 5xx or left without an answer
 * becomes a KsefUnknownOutcomeError, saying which, for the caller to reconcile.
 */
export class KsefTransport {
  private readonly basePath: string;
  private readonly maxAttempts: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    this.basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
    this.maxAttempts = options.maxAttempts ?? 4;
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  /** Suitable as openapi-fetch's `fetch`. */
  readonly fetch = async (input: Request): Promise<Response> => {
    const method = input.method.toUpperCase();
    const url = new URL(input.url);
    const path = url.pathname.startsWith(this.basePath) ? url.pathname.slice(this.basePath.length) || '/' : url.pathname;
    const { group, key } = rateLimitKey(method, path);
    const headers = new Headers(input.headers);
    headers.set('X-Error-Format', 'problem-details');
    const body = input.body ? await input.arrayBuffer() : undefined;
    const callerSignal = input.signal;
    const repeatable = isSafeToRepeat(method, path);

    for (let attempt = 1; ; attempt++) {
      await this.options.budget.acquire(group, key, callerSignal, this.options.maxWaitMs);
      const signal = AbortSignal.any([callerSignal, AbortSignal.timeout(this.options.requestTimeoutMs)]);
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method, headers, body, signal, redirect: 'follow' });
      } catch (error) {
        if (callerSignal.aborted) throw error;
        if ((repeatable || neverSent(error)) && attempt < this.maxAttempts) {
          await this.backoff(attempt, callerSignal);
          continue;
        }
        if (neverSent(error)) throw error;
        throw new KsefUnknownOutcomeError(method, path, { cause: error });
      }
      const warning = response.headers.get('x-system-warning');
      if (warning) this.options.onWarning?.({ method, path, message: warning });
      if (response.ok) return response;

      const error = await errorFromResponse(response, method, path, this.options.timer.now());
      if (error instanceof KsefRateLimitError) {
        const waitMs = error.retryAfterMs ?? 1000 * 2 ** attempt;
        this.options.onRateLimited?.({ method, path, retryAfterMs: waitMs });
        this.options.budget.block(key, waitMs);
        // 429 is decided before processing, so even a POST may be repeated once the wait is over.
        if (attempt < this.maxAttempts) continue;
        throw error;
      }
      if (response.status >= 500) {
        if (repeatable && attempt < this.maxAttempts) {
          await this.backoff(attempt, callerSignal);
          continue;
        }
        if (!repeatable) throw new KsefUnknownOutcomeError(method, path, { cause: error });
      }
      throw error;
    }
  };

  /** For pre-signed storage URLs (batch parts, UPO links, export parts): no token, no KSeF headers, no budget. */
  async external(url: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array; timeoutMs: number; signal?: AbortSignal }): Promise<Response> {
    const idempotent = isIdempotent(init.method.toUpperCase());
    for (let attempt = 1; ; attempt++) {
      const signals = [AbortSignal.timeout(init.timeoutMs), ...(init.signal ? [init.signal] : [])];
      try {
        const body = init.body ? new Uint8Array(init.body.buffer as ArrayBuffer, init.body.byteOffset, init.body.byteLength) : undefined;
        const response = await this.fetchImpl(url, { method: init.method, headers: init.headers, body, signal: AbortSignal.any(signals) });
        if (response.status >= 500 && idempotent && attempt < this.maxAttempts) {
          await response.arrayBuffer().catch(() => undefined);
          await this.backoff(attempt, init.signal);
          continue;
        }
        if (!response.ok) {
          throw await errorFromResponse(response, init.method, new URL(url).pathname, this.options.timer.now());
        }
        return response;
      } catch (error) {
        if (init.signal?.aborted || !idempotent || attempt >= this.maxAttempts || error instanceof Error && error.name === 'KsefApiError') throw error;
        await this.backoff(attempt, init.signal);
      }
    }
  }

  private backoff(attempt: number, signal?: AbortSignal): Promise<void> {
    return this.options.timer.sleep(Math.min(30_000, 250 * 2 ** (attempt - 1)), signal);
  }
}
