/*
 * The framing every page cursor shares (run log, e-mail log, document listings): a small JSON object,
 * base64url-encoded so that it travels in a query string untouched. What the object holds, and
 * whether it belongs to the listing it is sent to, each listing checks for itself.
 */

const MAX_CURSOR_LENGTH = 512;

export function encodeJsonCursor(value: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor's object, or undefined when it is not one of ours (too long, not base64url, not a JSON object). */
export function decodeJsonCursor(cursor: string): Record<string, unknown> | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  return decoded as Record<string, unknown>;
}
