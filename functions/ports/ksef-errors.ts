import { KsefJobError, NonRetryableError } from '../domain/errors.js';
import type { BatchFailureStage } from './ksef-gateway.js';

/** One KSeF error entry, whichever of the two error formats carried it. */
export interface KsefErrorDetail {
  readonly code: number;
  readonly description: string;
  readonly details: readonly string[];
}

export interface KsefApiErrorInit {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errors: readonly KsefErrorDetail[];
  readonly title?: string | undefined;
  readonly detail?: string | undefined;
  readonly reasonCode?: string | undefined;
  readonly traceId?: string | undefined;
  readonly retryAfterMs?: number | undefined;
}

/** KSeF answered with an error status; carries its codes (e.g. 21470, 21405) as numbers. */
export class KsefApiError extends KsefJobError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errors: readonly KsefErrorDetail[];
  readonly reasonCode: string | undefined;
  readonly traceId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: KsefApiErrorInit, options?: { cause?: unknown }) {
    const summary = init.errors.length
      ? init.errors.map((e) => `${e.code} ${e.description}${e.details.length ? ` (${e.details.join('; ')})` : ''}`).join(', ')
      : (init.detail ?? init.title ?? 'no details');
    super(`KSeF ${init.method} ${init.path} failed with HTTP ${init.status}: ${summary}`, options);
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.errors = init.errors;
    this.reasonCode = init.reasonCode;
    this.traceId = init.traceId;
    this.retryAfterMs = init.retryAfterMs;
  }

  get codes(): number[] {
    return this.errors.map((e) => e.code);
  }

  hasCode(code: number): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

/** 429: KSeF refused the request before processing it, so repeating it after `retryAfterMs` is safe. */
export class KsefRateLimitError extends KsefApiError {}

/**
 * The request may or may not have been processed (network error, timeout or 5xx after the body was
 * sent). A non-idempotent call must be reconciled, never repeated blindly. The message says which of
 * these happened (from the `cause`): KSeF answering 5xx is not the same as no answer at all.
 */
export class KsefUnknownOutcomeError extends KsefJobError {
  constructor(
    readonly method: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`KSeF ${method} ${path}: ${whatHappened(options?.cause)}, so whether KSeF processed the request is unknown`, options);
  }
}

function whatHappened(cause: unknown): string {
  if (cause instanceof KsefApiError) {
    const said = cause.errors.map((e) => `${e.code} ${e.description}`).join(', ') || cause.traceId;
    return `KSeF answered HTTP ${cause.status}${said ? ` (${said})` : ''} after the request was sent`;
  }
  if (!(cause instanceof Error)) return 'no answer was received';
  if (cause.name === 'TimeoutError') return 'no response came within the request timeout';
  const code = (cause.cause as { code?: unknown } | undefined)?.code;
  return `no response came (the connection failed: ${cause.message}${typeof code === 'string' ? `, ${code}` : ''})`;
}

/** Authentication ended in a final failure status (415, 425, 450, 460, 470, 480, 500). */
export class KsefAuthenticationError extends NonRetryableError {
  constructor(
    readonly statusCode: number,
    readonly description: string,
    readonly details: readonly string[],
  ) {
    super(`KSeF authentication failed with status ${statusCode}: ${description}${details.length ? ` (${details.join('; ')})` : ''}`);
  }
}

/** Something KSeF sent does not match its declared hash or size. */
export class KsefIntegrityError extends KsefJobError {}

/** A configuration or credential problem the caller must fix. */
export class KsefConfigurationError extends NonRetryableError {}

/** An asynchronous KSeF operation (e.g. an export) ended in a failure status, or did not end in time. */
export class KsefOperationFailedError extends KsefJobError {
  constructor(
    readonly referenceNumber: string,
    readonly status: { readonly code: number; readonly description: string; readonly details?: readonly string[] | null },
  ) {
    super(`KSeF operation ${referenceNumber} ended with status ${status.code}: ${status.description}`);
  }
}

/**
 * A request was not sent because waiting for the rate-limit budget (or a 429's Retry-After) would take
 * longer than the caller allows; nothing reached KSeF, so it is safe to try again after `retryAfterMs`.
 */
export class KsefRateBudgetExhaustedError extends KsefJobError {
  constructor(
    readonly key: string,
    readonly retryAfterMs: number,
  ) {
    super(`KSeF rate limit '${key}': the next request may go in ${Math.ceil(retryAfterMs / 1000)} s, longer than this caller waits`);
  }
}

/**
 * Sending a batch failed; `stage` says how far it got (see BatchFailureStage: only `close-unknown`
 * can leave invoices in KSeF) and `sessionReferenceNumber` is the session opened, when known.
 * The error that stopped it is the `cause`.
 */
export class KsefBatchSendError extends KsefJobError {
  constructor(
    readonly stage: BatchFailureStage,
    readonly sessionReferenceNumber: string | null,
    options: { cause: unknown },
  ) {
    super(`KSeF batch ${sessionReferenceNumber ?? '(no session)'} failed at stage ${stage}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}
