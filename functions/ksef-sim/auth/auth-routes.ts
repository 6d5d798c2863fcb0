import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { ALL_PERMISSIONS } from '../context.js';
import { PublicKeyUsage } from '../crypto/public-keys.js';
import { invalidSignature, signingTimeProblem } from '../crypto/xades-properties.js';
import { verifyAuthTokenRequest } from '../crypto/xades-verify.js';
import { badRequest, gone } from '../http/api-error.js';
import { base64Field, jsonBody, requireField } from '../http/body.js';
import type { Router } from '../http/router.js';
import { json, noContent, type SimRequest } from '../http/types.js';
import { newChallenge, newReferenceNumber } from '../numbering/numbers.js';
import type { AuthOperation, ContextIdentifier, StatusInfo } from '../state.js';
import { requireBearer } from './bearer.js';
import { issueToken } from './issue-tokens.js';

const CHALLENGE_TTL_MS = 10 * 60_000;
const STATUS_RETENTION_MS = 7 * 86_400_000;

const AUTH_STATUS = {
  inProgress: { code: 100, description: 'Uwierzytelnianie w toku' },
  success: { code: 200, description: 'Uwierzytelnianie zakończone sukcesem' },
  noPermissions: { code: 415, description: 'Uwierzytelnianie zakończone niepowodzeniem', details: ['Brak przypisanych uprawnień'] },
  revoked: { code: 425, description: 'Uwierzytelnienie unieważnione', details: ['Uwierzytelnienie i powiązane refresh tokeny zostały unieważnione przez użytkownika'] },
  badToken: (detail: string): StatusInfo => ({ code: 450, description: 'Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu', details: [detail] }),
  badCertificate: (detail: string): StatusInfo => ({ code: 460, description: 'Uwierzytelnianie zakończone niepowodzeniem z powodu błędu certyfikatu', details: [detail] }),
  blocked: { code: 480, description: 'Uwierzytelnienie zablokowane', details: ['Podejrzenie incydentu bezpieczeństwa. Skontaktuj się z Ministerstwem Finansów przez formularz zgłoszeniowy.'] },
} as const;

export function registerAuthRoutes(router: Router, ctx: SimContext): void {
  router.add('POST', '/auth/challenge', (req) => {
    const now = ctx.clock.now();
    const challenge = newChallenge(now);
    ctx.state.challenges.set(challenge, { challenge, timestamp: now, clientIp: req.clientIp, used: false });
    return json(200, { challenge, timestamp: now.toISOString(), timestampMs: now.getTime(), clientIp: req.clientIp });
  });

  router.add('POST', '/auth/ksef-token', (req) => {
    const body = jsonBody<{ challenge?: string; contextIdentifier?: ContextIdentifier; encryptedToken?: string; publicKeyId?: string | null }>(req);
    const context = requireField(body.contextIdentifier, 'contextIdentifier');
    const encrypted = base64Field(requireField(body.encryptedToken, 'encryptedToken'), 'encryptedToken');
    const challenge = takeChallenge(ctx, requireField(body.challenge, 'challenge'));
    const plain = ctx.keys.decrypt(PublicKeyUsage.ksefTokenEncryption, encrypted, body.publicKeyId, ctx.clock.now());
    let outcome: StatusInfo = AUTH_STATUS.success;
    let permissions: readonly string[] = [];
    let tokenReference: string | null = null;
    const [tokenText, timestampText] = plain ? splitLast(plain.toString('utf8'), '|') : [null, null];
    const record = tokenText ? ctx.state.ksefTokens.get(tokenText) : undefined;
    if (!plain) outcome = AUTH_STATUS.badToken('Nieprawidłowy token');
    else if (Number(timestampText) !== challenge.timestamp.getTime()) outcome = AUTH_STATUS.badToken('Nieprawidłowy czas tokena');
    else if (!record || record.context.type !== context.type || record.context.value !== context.value) outcome = AUTH_STATUS.badToken('Nieprawidłowy token');
    else if (record.status === 'Revoked' || record.status === 'Revoking') outcome = AUTH_STATUS.badToken('Token unieważniony');
    else if (record.status !== 'Active') outcome = AUTH_STATUS.badToken('Token nieaktywny');
    else if (ctx.blockedContexts.has(context.value)) outcome = AUTH_STATUS.blocked;
    else {
      permissions = record.permissions;
      tokenReference = record.referenceNumber;
      record.lastUseDate = ctx.clock.now();
    }
    const operation = startOperation(ctx, 'Token', context, { type: 'Token', value: tokenReference ?? '-' }, permissions, outcome, tokenReference, null);
    return json(202, { referenceNumber: operation.referenceNumber, authenticationToken: issueToken(ctx, operation, 'OperationToken', STATUS_RETENTION_MS) });
  });

  router.add('POST', '/auth/xades-signature', async (req) => {
    const xml = req.body.toString('utf8');
    if (req.body[0] === 0xef && req.body[1] === 0xbb && req.body[2] === 0xbf) throw badRequest('encoding', 'Dokument zawiera znacznik BOM.');
    // Everything below comes from what the signature covers (crypto/xades-verify.ts).
    const verified = verifyAuthTokenRequest(xml);
    const schema = verified.namespace.endsWith('2.1') ? 'auth21' : 'auth20';
    const xsd = await ctx.validator.validate(schema, verified.signedDocumentXml);
    if (!xsd.valid) throw badRequest('notXsdValid', ...xsd.errors.map((e) => e.message));
    const challenge = takeChallenge(ctx, verified.challenge);
    const now = ctx.clock.now();
    const lateOrEarly = signingTimeProblem(verified.signingTime, challenge.timestamp, now);
    if (lateOrEarly !== null) throw invalidSignature('format', lateOrEarly);
    const { subject } = verified;
    const subjectId = verified.subjectIdentifierType === 'certificateFingerprint' ? verified.fingerprint : (subject.nip ?? subject.pesel);
    if (!subjectId) {
      throw badRequest('invalidSubjectIdentifier', 'Certyfikat nie zawiera identyfikatora podmiotu: NIP w organizationIdentifier (VATPL-…) albo NIP lub PESEL w serialNumber (TINPL-/NIP-, PNOPL-/PESEL-). Użyj SubjectIdentifierType certificateFingerprint.');
    }
    let outcome: StatusInfo = AUTH_STATUS.success;
    let permissions: readonly string[] = [];
    if (new Date(verified.certificate.validFrom) > now || new Date(verified.certificate.validTo) < now) outcome = AUTH_STATUS.badCertificate('Nieważny certyfikat');
    else if (ctx.blockedContexts.has(verified.context.value)) outcome = AUTH_STATUS.blocked;
    else {
      const owner = verified.subjectIdentifierType === 'certificateSubject' && subject.nip !== null && subject.nip === verified.context.value.slice(0, 10);
      permissions = owner ? ALL_PERMISSIONS : [...(ctx.grants.get(`${verified.context.value}|${subjectId}`) ?? [])];
      if (permissions.length === 0) outcome = AUTH_STATUS.noPermissions;
    }
    const subjectType = verified.subjectIdentifierType === 'certificateFingerprint' ? 'Fingerprint' : subject.nip ? 'Nip' : 'Pesel';
    const hash = createHash('sha256').update(req.body).digest('base64');
    const operation = startOperation(ctx, 'XadesSignature', verified.context, { type: subjectType, value: subjectId }, permissions, outcome, null, hash);
    return json(202, { referenceNumber: operation.referenceNumber, authenticationToken: issueToken(ctx, operation, 'OperationToken', STATUS_RETENTION_MS) });
  });

  router.add('GET', '/auth/sessions', (req) => {
    const { operation: current } = requireBearer(ctx, req, ['ContextToken']);
    const items = [...ctx.state.authOperations.values()]
      .filter((op) => op.context.value === current.context.value && op.redeemed && !op.revoked)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map((op) => ({ ...statusBody(ctx, op), referenceNumber: op.referenceNumber, isCurrent: op === current }));
    return json(200, { items, continuationToken: null });
  });

  router.add('GET', '/auth/{referenceNumber}', (req) => {
    const { operation } = requireBearer(ctx, req, ['OperationToken']);
    if (operation.referenceNumber !== req.params.referenceNumber) throw badRequest('noAuthentication', 'Token nie dotyczy tej operacji uwierzytelnienia.');
    if (ctx.clock.now().getTime() > operation.startDate.getTime() + STATUS_RETENTION_MS) throw gone('Status operacji uwierzytelnienia nie jest już dostępny.');
    return json(200, statusBody(ctx, operation));
  });

  router.add('POST', '/auth/token/redeem', (req) => {
    const { operation } = requireBearer(ctx, req, ['OperationToken']);
    if (currentStatus(ctx, operation).code !== 200) throw badRequest('noAuthentication', 'Uwierzytelnienie nie zakończyło się sukcesem.');
    if (operation.redeemed) throw badRequest('noAuthorization', 'Tokeny dla tego uwierzytelnienia zostały już pobrane.');
    operation.redeemed = true;
    const refreshToken = issueToken(ctx, operation, 'RefreshToken', ctx.options.refreshTokenTtlMs);
    operation.refreshTokenValidUntil = new Date(refreshToken.validUntil);
    return json(200, { accessToken: issueToken(ctx, operation, 'ContextToken', ctx.options.accessTokenTtlMs), refreshToken });
  });

  router.add('POST', '/auth/token/refresh', (req) => {
    const { operation } = requireBearer(ctx, req, ['RefreshToken']);
    operation.lastTokenRefreshDate = ctx.clock.now();
    return json(200, { accessToken: issueToken(ctx, operation, 'ContextToken', ctx.options.accessTokenTtlMs) });
  });

  router.add('DELETE', '/auth/sessions/current', (req) => {
    requireBearer(ctx, req, ['ContextToken', 'RefreshToken']).operation.revoked = true;
    return noContent();
  });

  router.add('DELETE', '/auth/sessions/{referenceNumber}', (req) => {
    const { operation: current } = requireBearer(ctx, req, ['ContextToken']);
    const target = ctx.state.authOperations.get(req.params.referenceNumber ?? '');
    if (!target || target.context.value !== current.context.value) throw badRequest('noAuthentication', 'Nie znaleziono sesji uwierzytelnienia.');
    target.revoked = true;
    return noContent();
  });
}

function takeChallenge(ctx: SimContext, challenge: string) {
  const record = ctx.state.challenges.get(challenge);
  const now = ctx.clock.now().getTime();
  if (!record || record.used || now > record.timestamp.getTime() + CHALLENGE_TTL_MS) throw badRequest('invalidChallenge');
  record.used = true;
  return record;
}

function startOperation(
  ctx: SimContext,
  category: AuthOperation['category'],
  context: ContextIdentifier,
  subject: AuthOperation['subject'],
  permissions: readonly string[],
  outcome: StatusInfo,
  tokenReference: string | null,
  authDocumentHash: string | null,
): AuthOperation {
  const now = ctx.clock.now();
  const operation: AuthOperation = {
    referenceNumber: newReferenceNumber('AU', now),
    startDate: now,
    category,
    context: { type: context.type, value: context.value },
    subject,
    permissions,
    outcome,
    readyAt: new Date(now.getTime() + ctx.options.delays.authMs),
    tokenReference,
    authDocumentHash,
    redeemed: false,
    revoked: false,
    refreshTokenValidUntil: null,
    lastTokenRefreshDate: null,
  };
  ctx.state.authOperations.set(operation.referenceNumber, operation);
  return operation;
}

function currentStatus(ctx: SimContext, operation: AuthOperation): StatusInfo {
  if (operation.revoked) return AUTH_STATUS.revoked;
  return ctx.clock.now() < operation.readyAt ? AUTH_STATUS.inProgress : operation.outcome;
}

function statusBody(ctx: SimContext, operation: AuthOperation) {
  const token = operation.category === 'Token';
  return {
    startDate: operation.startDate.toISOString(),
    authenticationMethod: token ? 'Token' : 'QualifiedSeal',
    authenticationMethodInfo: token
      ? { category: 'Token', code: 'token', displayName: 'Token KSeF' }
      : { category: 'XadesSignature', code: 'xades.seal', displayName: 'Podpis XAdES' },
    status: currentStatus(ctx, operation),
    isTokenRedeemed: operation.redeemed,
    lastTokenRefreshDate: operation.lastTokenRefreshDate?.toISOString() ?? null,
    refreshTokenValidUntil: operation.refreshTokenValidUntil?.toISOString() ?? null,
  };
}

function splitLast(text: string, separator: string): [string, string] {
  const i = text.lastIndexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

export type { SimRequest };
