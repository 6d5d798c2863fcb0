import { KsefApiError, KsefRateLimitError } from '../../ports/ksef-errors.js';

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
