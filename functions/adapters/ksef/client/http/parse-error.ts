import type { KsefErrorDetail } from '../../../../ports/ksef-errors.js';
import { KsefApiError, KsefRateLimitError } from '../../../../ports/ksef-errors.js';

type Json = Record<string, unknown>;

const asRecord = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads both KSeF error formats: problem+json (`errors[]`) and the legacy `exception.exceptionDetailList[]`. */
export function parseErrorDetails(body: unknown): { errors: KsefErrorDetail[]; title?: string; detail?: string; reasonCode?: string; traceId?: string } {
  const root = asRecord(body);
  if (!root) return { errors: [] };
  const errors: KsefErrorDetail[] = [];
  for (const e of Array.isArray(root.errors) ? root.errors : []) {
    const r = asRecord(e);
    if (r && typeof r.code === 'number') {
      errors.push({ code: r.code, description: asString(r.description) ?? '', details: asStrings(r.details) });
    }
  }
  const exception = asRecord(root.exception);
  for (const e of Array.isArray(exception?.exceptionDetailList) ? exception.exceptionDetailList : []) {
    const r = asRecord(e);
    if (r && typeof r.exceptionCode === 'number') {
      errors.push({ code: r.exceptionCode, description: asString(r.exceptionDescription) ?? '', details: asStrings(r.details) });
    }
  }
  // The legacy 429 body: { status: { code, description, details } }.
  const status = asRecord(root.status);
  if (status && typeof status.code === 'number') {
    errors.push({ code: status.code, description: asString(status.description) ?? '', details: asStrings(status.details) });
  }
  return {
    errors,
    title: asString(root.title),
    detail: asString(root.detail),
    reasonCode: asString(root.reasonCode),
    traceId: asString(root.traceId) ?? asString(exception?.referenceNumber),
  };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export async function errorFromResponse(response: Response, method: string, path: string, nowMs: number): Promise<KsefApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const parsed = parseErrorDetails(body);
  const init = {
    status: response.status,
    method,
    path,
    ...parsed,
    detail: parsed.detail ?? (body === undefined && text ? text.slice(0, 500) : undefined),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs),
  };
  return response.status === 429 ? new KsefRateLimitError(init) : new KsefApiError(init);
}
