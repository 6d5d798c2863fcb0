import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import { signJwt } from '../crypto/jwt.js';
import type { AuthOperation } from '../state.js';
import type { TokenType } from './bearer.js';

export interface IssuedToken {
  readonly token: string;
  readonly validUntil: string;
}

/** Issues a JWT with the claims KSeF's tokens carry (README §2.1). */
export function issueToken(ctx: SimContext, operation: AuthOperation, type: TokenType, ttlMs: number): IssuedToken {
  const now = ctx.clock.now();
  const exp = new Date(now.getTime() + ttlMs);
  const token = signJwt(ctx.secret, {
    'token-type': type,
    'operation-reference-number': operation.referenceNumber,
    'context-identifier-type': operation.context.type,
    'context-identifier-value': operation.context.value,
    'authentication-method': operation.category === 'Token' ? 'Token' : 'QualifiedSeal',
    'subject-details': JSON.stringify({ subjectIdentifier: operation.subject }),
    iss: 'ksef-api-ti',
    aud: 'ksef-api-ti',
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(exp.getTime() / 1000),
    jti: randomBytes(8).toString('hex'),
  });
  return { token, validUntil: new Date(Math.floor(exp.getTime() / 1000) * 1000).toISOString() };
}
