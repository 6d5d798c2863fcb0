import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../domain/errors.js';

/** The query parameters a route knows; any other one is a 400 rather than silently ignored. */
export function readQuery<K extends string>(event: APIGatewayProxyEventV2, known: readonly K[]): Partial<Record<K, string>> {
  const params = event.queryStringParameters ?? {};
  const unknown = Object.keys(params).filter((key) => !(known as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new ValidationError(unknown.map((key) => ({ field: key.slice(0, 100), reason: 'is not a known query parameter' })));
  }
  const result: Partial<Record<K, string>> = {};
  for (const key of known) {
    const value = params[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export const RUN_PAGE_LIMITS = { min: 1, max: 100 } as const;

export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const limit = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= RUN_PAGE_LIMITS.min && limit <= RUN_PAGE_LIMITS.max)) {
    throw new ValidationError([{ field: 'limit', reason: `must be a whole number from ${RUN_PAGE_LIMITS.min} to ${RUN_PAGE_LIMITS.max}` }]);
  }
  return limit;
}

/** The Link header of the page after this one (RFC 8288); none on the last page. */
export function nextPageLink(path: string, limit: number | undefined, nextCursor: string | null): Record<string, string> {
  if (nextCursor === null) return {};
  const next = new URLSearchParams({ ...(limit === undefined ? {} : { limit: String(limit) }), cursor: nextCursor });
  return { link: `<${path}?${next.toString()}>; rel="next"` };
}
