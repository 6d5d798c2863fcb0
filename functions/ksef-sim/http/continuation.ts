import { badRequest } from './api-error.js';
import { header, type SimRequest } from './types.js';

/** Continuation tokens are opaque to clients; here they wrap an offset. */
export function encodeContinuation(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

export function decodeContinuation(req: SimRequest): number {
  const raw = header(req, 'x-continuation-token');
  if (!raw) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw badRequest('invalidContinuationToken');
}
