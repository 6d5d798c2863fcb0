import { hmacBase64Url, safeEqual } from './symmetric.js';

export type JwtClaims = Record<string, unknown> & { exp: number; iat: number; jti: string };

/** HS256 JWTs: the same shape as KSeF's tokens; clients must treat them as opaque. */
export function signJwt(secret: Buffer, claims: JwtClaims): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${head}.${body}.${hmacBase64Url(secret, `${head}.${body}`)}`;
}

/** The claims of a token signed by this simulator, or null when the signature does not match. */
export function verifyJwt(secret: Buffer, token: string): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [head, body, signature] = parts as [string, string, string];
  if (!safeEqual(signature, hmacBase64Url(secret, `${head}.${body}`))) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return null;
  }
}
