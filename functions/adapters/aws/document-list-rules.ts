import { ValidationError } from '../../domain/errors.js';
import { decodeJsonCursor, encodeJsonCursor } from './json-cursor.js';

/*
 * Rules every adapter of the document listings shares (documents, incoming documents, ledger), so
 * that the memory adapters page exactly like the Dynamo ones: limits, date filters, the sort key
 * `<issueDate>#<id>` and the cursor, which is that sort key of the last item returned.
 */

export const MAX_DOCUMENT_PAGE_LIMIT = 100;
export type ListingScope = 'documents' | 'incoming' | 'ledger';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SORT_KEY = /^\d{4}-\d{2}-\d{2}#[A-Za-z0-9._-]{1,100}$/;

export function listingSortKey(issueDate: string, id: string): string {
  return `${issueDate}#${id}`;
}

export interface ListingWindow {
  readonly limit: number;
  /** Items must sort after this key (exclusive). */
  readonly after: string | null;
  /** Items must sort at or before this key (inclusive). */
  readonly upTo: string | null;
}

export function listingWindow(scope: ListingScope, query: { limit: number; cursor?: string | null; issuedFrom?: string; issuedTo?: string }): ListingWindow {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DOCUMENT_PAGE_LIMIT) {
    throw new ValidationError([{ field: 'limit', reason: `must be an integer from 1 to ${MAX_DOCUMENT_PAGE_LIMIT}` }]);
  }
  const from = checkDate('from', query.issuedFrom);
  const to = checkDate('to', query.issuedTo);
  if (from !== null && to !== null && from > to) throw new ValidationError([{ field: 'from', reason: `must not be after to (${to})` }]);
  const cursor = query.cursor == null ? null : decodeListingCursor(scope, query.cursor);
  // '#' sorts before every id character, '~' after: `${date}#` starts the day, `${date}#~` ends it.
  const fromKey = from === null ? null : `${from}#`;
  const after = cursor !== null && (fromKey === null || cursor >= fromKey) ? cursor : fromKey;
  return { limit, after, upTo: to === null ? null : `${to}#~` };
}

export function inWindow(sortKey: string, window: ListingWindow): boolean {
  return (window.after === null || sortKey > window.after) && (window.upTo === null || sortKey <= window.upTo);
}

export function encodeListingCursor(scope: ListingScope, sortKey: string): string {
  return encodeJsonCursor({ s: scope, k: sortKey });
}

function decodeListingCursor(scope: ListingScope, cursor: string): string {
  const refuse = (reason = 'is not a cursor returned by this API'): never => {
    throw new ValidationError([{ field: 'cursor', reason }]);
  };
  const decoded = decodeJsonCursor(cursor);
  if (decoded === undefined) return refuse();
  const { s, k, ...rest } = decoded;
  if (typeof s !== 'string' || typeof k !== 'string' || Object.keys(rest).length > 0 || !SORT_KEY.test(k)) return refuse();
  if (s !== scope) return refuse('belongs to another listing');
  return k;
}

function checkDate(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new ValidationError([{ field, reason: 'must be a date YYYY-MM-DD' }]);
  }
  return value;
}

/** Takes one more item than the limit to tell whether another page exists. */
export function pageOf<T>(sorted: readonly T[], window: ListingWindow, scope: ListingScope, sortKeyOf: (item: T) => string): { items: T[]; nextCursor: string | null } {
  const items = sorted.slice(0, window.limit);
  const last = items.at(-1);
  return { items, nextCursor: sorted.length > window.limit && last !== undefined ? encodeListingCursor(scope, sortKeyOf(last)) : null };
}
