import { randomBytes } from 'node:crypto';
import type { KsefApiError } from './api-error.js';
import { header, json, type SimRequest, type SimResponse } from './types.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function wantsProblemDetails(req: SimRequest): boolean {
  return header(req, 'x-error-format')?.toLowerCase() === 'problem-details';
}

/**
 * 400 and 429 come in two formats: the deprecated legacy JSON by default and
 * `application/problem+json` when the request carries `X-Error-Format: problem-details`.
 * 401, 403 and 410 are always problem details.
 */
export function renderError(req: SimRequest, error: KsefApiError, now: Date): SimResponse {
  const traceId = randomBytes(16).toString('hex');
  const timestamp = now.toISOString();
  const instance = `/v2${req.path}`;
  const title = TITLES[error.status] ?? 'Error';
  const retryHeaders: Record<string, string> =
    error.extra.retryAfterSeconds !== undefined ? { 'retry-after': String(error.extra.retryAfterSeconds) } : {};
  const problem = (body: Record<string, unknown>) =>
    json(error.status, body, { 'content-type': 'application/problem+json; charset=utf-8', ...retryHeaders });

  if (error.status === 400) {
    const detail = { code: error.code ?? 21405, description: error.description, details: [...error.details] };
    if (wantsProblemDetails(req)) {
      return problem({ title, status: 400, instance, detail: error.description, errors: [detail], timestamp, traceId });
    }
    return json(400, {
      exception: {
        exceptionDetailList: [{ exceptionCode: detail.code, exceptionDescription: detail.description, details: detail.details }],
        referenceNumber: null,
        serviceCode: `00-${traceId}-${randomBytes(8).toString('hex')}-00`,
        serviceCtx: 'srvKSEFSIM',
        serviceName: 'ksef-sim',
        timestamp,
      },
    });
  }
  if (error.status === 429 && !wantsProblemDetails(req)) {
    return json(429, { status: { code: 429, description: title, details: [error.description] } }, retryHeaders);
  }
  if (error.status === 403) {
    return problem({ title, status: 403, detail: error.description, instance, reasonCode: error.extra.reasonCode ?? 'insufficient-resource-access', security: error.extra.security ?? null, traceId, timestamp });
  }
  return problem({ title, status: error.status, detail: error.description, instance, timestamp, traceId });
}
