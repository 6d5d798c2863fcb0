import { isCodeUnitId, type CodeUnitId } from '../../domain/catalogue.js';
import { ValidationError } from '../../domain/errors.js';
import { decodeJsonCursor, encodeJsonCursor } from './json-cursor.js';
import { checkRetentionOption, checkRunPageLimit, runExpiresAtEpoch } from './run-log-rules.js';

/*
 * Rules that every NotificationStore adapter shares, so that the memory adapter behaves exactly
 * like the Dynamo one: page limits, the cursor of the e-mail log and the retention of its rows.
 */

export const DEFAULT_EMAIL_LOG_RETENTION_DAYS = 365;

/** Same limits as the run log (1 … 100). */
export const checkEmailPageLimit = checkRunPageLimit;

const MAIL_ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/** The cursor names the last mail returned: base64url JSON `{ codeUnit, id }`. */
export function encodeEmailCursor(codeUnit: CodeUnitId, id: string): string {
  return encodeJsonCursor({ codeUnit, id });
}

export function decodeEmailCursor(cursor: string): { codeUnit: CodeUnitId; id: string } {
  const refuse = (): never => {
    throw new ValidationError([{ field: 'cursor', reason: 'is not a cursor returned by this API' }]);
  };
  const decoded = decodeJsonCursor(cursor);
  if (decoded === undefined) return refuse();
  const { codeUnit, id, ...rest } = decoded;
  if (typeof codeUnit !== 'string' || !isCodeUnitId(codeUnit) || typeof id !== 'string' || !MAIL_ID.test(id) || Object.keys(rest).length > 0) {
    return refuse();
  }
  return { codeUnit, id };
}

export function checkMailId(id: string): string {
  if (!MAIL_ID.test(id)) throw new ValidationError([{ field: 'id', reason: 'must be a time-ordered id YYYYMMDDTHHmmssSSSZ-<8 hex>' }]);
  return id;
}

/** Epoch seconds after which a logged mail is hidden (and deleted by TTL on AWS). */
export function emailExpiresAtEpoch(sentAt: string, retentionDays: number): number {
  try {
    return runExpiresAtEpoch(sentAt, retentionDays);
  } catch {
    throw new ValidationError([{ field: 'sentAt', reason: 'must be an ISO-8601 date-time' }]);
  }
}

export interface EmailLogRetentionOptions {
  /** Days a logged mail is kept. Default 365. */
  readonly emailLogRetentionDays?: number;
}

export function checkEmailRetentionDays(days: number | undefined): number {
  return checkRetentionOption('emailLogRetentionDays', days, DEFAULT_EMAIL_LOG_RETENTION_DAYS);
}

/** Addresses are compared case-insensitively (what every mail system does in practice). */
export const recipientId = (email: string): string => email.trim().toLowerCase();
