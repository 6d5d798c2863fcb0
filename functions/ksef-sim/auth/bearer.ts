import type { SimContext } from '../context.js';
import { forbidden, unauthorized } from '../http/api-error.js';
import { header, type SimRequest } from '../http/types.js';
import { verifyJwt, type JwtClaims } from '../crypto/jwt.js';
import type { AuthOperation } from '../state.js';

export type TokenType = 'OperationToken' | 'ContextToken' | 'RefreshToken';

export interface Bearer {
  readonly claims: JwtClaims;
  readonly operation: AuthOperation;
}

/** Checks the `Authorization: Bearer` token: signature, type, expiry and (for refresh) revocation. */
export function requireBearer(ctx: SimContext, req: SimRequest, types: readonly TokenType[]): Bearer {
  const auth = header(req, 'authorization');
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  if (!token) throw unauthorized();
  const claims = verifyJwt(ctx.secret, token);
  if (!claims || !types.includes(claims['token-type'] as TokenType)) throw unauthorized('Nieprawidłowy token.');
  if (claims.exp * 1000 <= ctx.clock.now().getTime()) throw unauthorized('Token wygasł.');
  const operation = ctx.state.authOperations.get(String(claims['operation-reference-number']));
  if (!operation) throw unauthorized('Nieprawidłowy token.');
  if (claims['token-type'] === 'RefreshToken' && operation.revoked) throw unauthorized('Sesja uwierzytelnienia została unieważniona.');
  return { claims, operation };
}

export function requireAccess(ctx: SimContext, req: SimRequest, anyOf: readonly string[] = []): AuthOperation {
  const { operation } = requireBearer(ctx, req, ['ContextToken']);
  if (anyOf.length > 0 && !anyOf.some((p) => operation.permissions.includes(p))) {
    throw forbidden('missing-permissions', 'Brak wymaganych uprawnień do wykonania operacji w bieżącym kontekście.', {
      requiredAnyOfPermissions: [...anyOf],
      presentPermissions: [...operation.permissions],
    });
  }
  return operation;
}

export const WRITE_PERMISSIONS = ['InvoiceWrite', 'PefInvoiceWrite', 'EnforcementOperations'] as const;
export const STATUS_PERMISSIONS = ['InvoiceWrite', 'Introspection', 'PefInvoiceWrite', 'EnforcementOperations'] as const;
export const READ_PERMISSIONS = ['InvoiceRead'] as const;
