import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import { ALL_PERMISSIONS } from '../context.js';
import { badRequest, forbidden } from '../http/api-error.js';
import { jsonBody, pageSize } from '../http/body.js';
import type { Router } from '../http/router.js';
import { json, noContent } from '../http/types.js';
import { newReferenceNumber } from '../numbering/numbers.js';
import type { ContextIdentifier, KsefTokenRecord } from '../state.js';
import { requireAccess } from './bearer.js';
import { decodeContinuation, encodeContinuation } from '../http/continuation.js';

export interface RegisterKsefTokenInput {
  /** Context NIP the token acts for. */
  readonly nip: string;
  readonly permissions?: readonly string[];
  readonly description?: string;
  readonly context?: ContextIdentifier;
}

/** Creates an active KSeF token (format `{ref}|{ctxType}-{ctxValue}|{64 hex}`); returns it once. */
export function registerKsefToken(ctx: SimContext, input: RegisterKsefTokenInput, author?: KsefTokenRecord['author']): KsefTokenRecord {
  const now = ctx.clock.now();
  const context = input.context ?? { type: 'Nip', value: input.nip };
  const referenceNumber = newReferenceNumber('EC', now);
  const token = `${referenceNumber}|${context.type.charAt(0).toLowerCase()}${context.type.slice(1)}-${context.value}|${randomBytes(32).toString('hex')}`;
  const record: KsefTokenRecord = {
    referenceNumber,
    token,
    context,
    author: author ?? { type: 'Nip', value: input.nip },
    permissions: [...(input.permissions ?? ['InvoiceRead', 'InvoiceWrite'])],
    description: input.description ?? 'Token utworzony w symulatorze',
    dateCreated: now,
    status: 'Active',
    lastUseDate: null,
  };
  ctx.state.ksefTokens.set(token, record);
  ctx.state.ksefTokensByReference.set(referenceNumber, record);
  return record;
}

function view(record: KsefTokenRecord) {
  return {
    referenceNumber: record.referenceNumber,
    authorIdentifier: record.author,
    contextIdentifier: record.context,
    description: record.description,
    requestedPermissions: record.permissions,
    dateCreated: record.dateCreated.toISOString(),
    lastUseDate: record.lastUseDate?.toISOString() ?? null,
    status: record.status,
    statusDetails: [],
  };
}

export function registerTokenRoutes(router: Router, ctx: SimContext): void {
  router.add('POST', '/tokens', (req) => {
    const operation = requireAccess(ctx, req);
    if (operation.category !== 'XadesSignature') {
      throw forbidden('auth-method-not-allowed', 'Ta operacja nie jest dostępna dla użytej metody uwierzytelnienia.', { authenticationMethodCategory: operation.category });
    }
    if (operation.context.type !== 'Nip' && operation.context.type !== 'InternalId') throw badRequest('tokenContextType');
    const body = jsonBody<{ permissions?: string[]; description?: string }>(req);
    const permissions = body.permissions ?? [];
    if (!Array.isArray(permissions) || permissions.length === 0 || permissions.some((p) => !(ALL_PERMISSIONS as readonly string[]).includes(p))) {
      throw badRequest('inputValidation', "Pole 'permissions' musi zawierać uprawnienia tokena.");
    }
    if (permissions.some((p) => !operation.permissions.includes(p))) throw badRequest('tokenPermissions');
    if (typeof body.description !== 'string' || body.description.length < 5 || body.description.length > 256) {
      throw badRequest('inputValidation', "Pole 'description' musi mieć od 5 do 256 znaków.");
    }
    const subjectType = operation.subject.type === 'Token' ? 'Nip' : operation.subject.type;
    const record = registerKsefToken(ctx, { nip: operation.context.value, context: operation.context, permissions, description: body.description }, { type: subjectType, value: operation.subject.value });
    return json(202, { referenceNumber: record.referenceNumber, token: record.token });
  });

  router.add('GET', '/tokens', (req) => {
    const operation = requireAccess(ctx, req);
    const size = pageSize(req, 10, 100, 10);
    const offset = decodeContinuation(req);
    const all = [...ctx.state.ksefTokensByReference.values()]
      .filter((t) => t.context.value === operation.context.value)
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeContinuation(offset + size) : null;
    return json(200, { tokens: page.map(view), continuationToken: next });
  });

  router.add('GET', '/tokens/{referenceNumber}', (req) => {
    const operation = requireAccess(ctx, req);
    const record = ctx.state.ksefTokensByReference.get(req.params.referenceNumber ?? '');
    if (!record || record.context.value !== operation.context.value) throw badRequest('inputValidation', 'Nie znaleziono tokena.');
    return json(200, view(record));
  });

  router.add('DELETE', '/tokens/{referenceNumber}', (req) => {
    const operation = requireAccess(ctx, req);
    const record = ctx.state.ksefTokensByReference.get(req.params.referenceNumber ?? '');
    if (!record || record.context.value !== operation.context.value) throw badRequest('inputValidation', 'Nie znaleziono tokena.');
    record.status = 'Revoked';
    return noContent();
  });
}
