import { KsefApiError, KsefRateBudgetExhaustedError, KsefRateLimitError } from '../../ports/ksef-errors.js';

/** Codes of a synchronous 400 on send that are about the session, not the invoice (README §4). */
const SESSION_LEVEL_CODES = [21155, 21173, 21180];

/**
 * KSeF answered this request with a definite refusal: it was decided and not processed, so nothing
 * of it is in KSeF. A 429 is not one here: after the client's own Retry-After waits it means only
 * "not now". Anything else (lost response, 5xx, abort) leaves the outcome unknown.
 */
export function isDefiniteRefusal(error: unknown): error is KsefApiError {
  return error instanceof KsefApiError && !(error instanceof KsefRateLimitError) && error.status >= 400 && error.status < 500;
}

/** A refusal that names the invoice (e.g. 21402 size, 21403 hash, 21405 validation), not the session. */
export function isInvoiceRefusal(error: unknown): error is KsefApiError {
  return isDefiniteRefusal(error) && error.status === 400 && !error.codes.some((code) => SESSION_LEVEL_CODES.includes(code));
}

export function refusalOf(error: KsefApiError): { code: number; description: string; details: string[] } {
  const first = error.errors[0];
  return {
    code: first?.code ?? error.status,
    description: first?.description ?? error.message,
    details: error.errors.flatMap((e) => [...(e.details.length ? e.details : [e.description])]),
  };
}

/**
 * Why a send failed, for what comes next:
 * - `notNow`: a 429 the client would not wait out, or the run's time is up; nothing is wrong with
 *   the invoice or KSeF, so the run stops sending and the rest waits for the next run;
 * - `session`: KSeF refused the request because of the session (e.g. 21180 closed): stop sending;
 * - `invoice`: anything else (5xx, lost response, another 4xx): the outcome for this invoice is
 *   unknown or it cannot go, but each invoice has its own hash, so the others may still be sent.
 */
export type SendFailureKind = 'notNow' | 'session' | 'invoice';

export interface SendFailure {
  readonly kind: SendFailureKind;
  /** The error's own words, for the document's history and the run's error. */
  readonly reason: string;
}

export function classifySendFailure(error: unknown, signal: AbortSignal): SendFailure {
  const reason = describeError(error);
  if (signal.aborted || error instanceof KsefRateLimitError || error instanceof KsefRateBudgetExhaustedError) return { kind: 'notNow', reason };
  if (isDefiniteRefusal(error) && error.status === 400) return { kind: 'session', reason };
  return { kind: 'invoice', reason };
}

/** The message of an error and of its causes (a lost response or 5xx says what happened in its cause). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 3; current = current instanceof Error ? current.cause : undefined) {
    parts.push(current instanceof Error ? current.message : String(current));
  }
  return parts.join(': ');
}
