import type { SimContext } from '../context.js';
import { hmacBase64Url, safeEqual } from '../crypto/symmetric.js';

/**
 * Pre-signed links for the simulator's "blob storage" (batch part uploads, UPO and export
 * downloads): no access token, an expiry and an HMAC over path and expiry, like SAS links.
 */
export function presign(ctx: SimContext, origin: string, path: string, expiresAt: Date): string {
  const se = expiresAt.toISOString();
  const sig = hmacBase64Url(ctx.secret, `${path}\n${se}`);
  return `${origin}${path}?se=${encodeURIComponent(se)}&sp=r&sig=${encodeURIComponent(sig)}`;
}

export function checkPresigned(ctx: SimContext, path: string, query: URLSearchParams): 'ok' | 'invalid' | 'expired' {
  const se = query.get('se');
  const sig = query.get('sig');
  if (!se || !sig || !safeEqual(sig, hmacBase64Url(ctx.secret, `${path}\n${se}`))) return 'invalid';
  return ctx.clock.now() > new Date(se) ? 'expired' : 'ok';
}
