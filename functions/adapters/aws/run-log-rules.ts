import { ValidationError } from '../../domain/errors.js';
import { decodeJsonCursor, encodeJsonCursor } from './json-cursor.js';
import { runKey } from './table-layout.js';

/*
 * Rules that every RunLogRepository adapter shares, so that the memory adapter behaves exactly
 * like the Dynamo one: page limits, the cursor format and the retention of rows.
 */

export const MAX_RUN_PAGE_LIMIT = 100;
export const DEFAULT_RUN_RETENTION_DAYS = 90;

const SECONDS_PER_DAY = 86_400;

export function checkRunPageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUN_PAGE_LIMIT) {
    throw new ValidationError([{ field: 'limit', reason: `must be an integer from 1 to ${MAX_RUN_PAGE_LIMIT}` }]);
  }
  return limit;
}

/** The cursor is the table key of the last row returned, base64url-encoded JSON. */
export function encodeRunCursor(codeUnit: string, runId: string): string {
  return encodeJsonCursor(runKey(codeUnit, runId));
}

/** The run id after which the next page starts; a malformed cursor or one of another queue is refused. */
export function decodeRunCursor(codeUnit: string, cursor: string): string {
  const refuse = (reason: string): never => {
    throw new ValidationError([{ field: 'cursor', reason }]);
  };
  const decoded = decodeJsonCursor(cursor);
  if (decoded === undefined) return refuse('is not a cursor returned by this API');
  const { pk, sk, ...rest } = decoded;
  if (typeof pk !== 'string' || typeof sk !== 'string' || Object.keys(rest).length > 0) return refuse('is not a cursor returned by this API');
  const expected = runKey(codeUnit, '');
  if (pk !== expected.pk || !sk.startsWith(expected.sk) || sk.length === expected.sk.length) {
    return refuse('belongs to another queue');
  }
  return sk.slice(expected.sk.length);
}

/** Epoch seconds after which a row is expired: its start plus the retention period. */
export function runExpiresAtEpoch(startedAt: string, retentionDays: number): number {
  const started = Date.parse(startedAt);
  if (Number.isNaN(started)) {
    throw new ValidationError([{ field: 'startedAt', reason: 'must be an ISO-8601 date-time' }]);
  }
  return Math.floor(started / 1000) + Math.round(retentionDays * SECONDS_PER_DAY);
}

export function isExpired(expiresAtEpoch: number | undefined, now: Date): boolean {
  return expiresAtEpoch !== undefined && expiresAtEpoch <= Math.floor(now.getTime() / 1000);
}

export interface RunLogRetentionOptions {
  /** Days a row is kept after its start (DynamoDB TTL, and hidden from readers once past). Default 90. */
  readonly retentionDays?: number;
}

export function checkRetentionDays(days: number | undefined): number {
  return checkRetentionOption('retentionDays', days, DEFAULT_RUN_RETENTION_DAYS);
}

/** A retention option (named in the error, as the operator wrote it): positive days, or the default when not set. */
export function checkRetentionOption(option: string, days: number | undefined, defaultDays: number): number {
  const value = days ?? defaultDays;
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${option} must be a positive number, got ${value}.`);
  return value;
}
