import type { KsefApi } from '../http/ksef-api.js';
import { bearer, must } from '../http/ksef-api.js';
import { KsefAuthenticationError } from '../../../../ports/ksef-errors.js';
import type { Timer } from '../http/rate-budget.js';
import type { PublicKeyStore } from '../crypto/public-keys.js';
import { encryptKsefToken } from '../crypto/primitives.js';
import type { KsefCredentials, SigningIdentity } from './credentials.js';
import { loadSigningIdentity } from './credentials.js';
import { buildAuthTokenRequest, type AuthTokenRequestVersion, type ContextIdentifier } from './auth-token-request.js';
import { signXades } from './xades-sign.js';

export interface TokenInfo {
  readonly token: string;
  readonly validUntil: string;
}

export interface LoginResult {
  readonly referenceNumber: string;
  readonly accessToken: TokenInfo;
  readonly refreshToken: TokenInfo;
}

export interface LoginDeps {
  readonly api: KsefApi;
  readonly keys: PublicKeyStore;
  readonly timer: Timer;
  /** How long to wait for KSeF to finish checking (DEMO/PROD OCSP checks can keep a login at 100 a while). */
  readonly pollTimeoutMs?: number;
  readonly authTokenRequestVersion?: AuthTokenRequestVersion;
}

/** challenge → (KSeF token | XAdES) → poll until 200 → one-time redeem (README §2.1). */
export async function login(deps: LoginDeps, credentials: KsefCredentials, context: ContextIdentifier, signal?: AbortSignal): Promise<LoginResult> {
  const init = credentials.kind === 'token' ? await startTokenLogin(deps, credentials.token, context, signal) : await startXadesLogin(deps, await loadSigningIdentity(credentials), context, signal);
  const operationToken = init.authenticationToken.token;
  await waitForAuthentication(deps, init.referenceNumber, operationToken, signal);
  const { data } = await deps.api.POST('/auth/token/redeem', { headers: bearer(operationToken), signal });
  const tokens = must(data, 'POST /auth/token/redeem');
  return { referenceNumber: init.referenceNumber, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

async function challenge(deps: LoginDeps, signal?: AbortSignal) {
  const { data } = await deps.api.POST('/auth/challenge', { signal });
  return must(data, 'POST /auth/challenge');
}

function startTokenLogin(deps: LoginDeps, ksefToken: string, context: ContextIdentifier, signal?: AbortSignal) {
  // A withdrawn key (21470) means a new challenge too: the first one may already be spent.
  return deps.keys.withKey('KsefTokenEncryption', async (key) => {
    const ch = await challenge(deps, signal);
    const { data } = await deps.api.POST('/auth/ksef-token', {
      body: {
        challenge: ch.challenge,
        contextIdentifier: context,
        encryptedToken: encryptKsefToken(key.key, ksefToken, ch.timestampMs),
        publicKeyId: key.publicKeyId,
      },
      signal,
    });
    return must(data, 'POST /auth/ksef-token');
  });
}

async function startXadesLogin(deps: LoginDeps, identity: SigningIdentity, context: ContextIdentifier, signal?: AbortSignal) {
  const ch = await challenge(deps, signal);
  const unsigned = buildAuthTokenRequest({
    challenge: ch.challenge,
    context,
    subjectIdentifierType: identity.subjectIdentifierType,
    ...(deps.authTokenRequestVersion ? { version: deps.authTokenRequestVersion } : {}),
  });
  const signed = signXades(unsigned, identity, new Date(deps.timer.now()));
  const { data } = await deps.api.POST('/auth/xades-signature', {
    body: signed,
    bodySerializer: (b: string) => b,
    headers: { 'Content-Type': 'application/xml' },
    signal,
  });
  return must(data, 'POST /auth/xades-signature');
}

async function waitForAuthentication(deps: LoginDeps, referenceNumber: string, operationToken: string, signal?: AbortSignal): Promise<void> {
  const deadline = deps.timer.now() + (deps.pollTimeoutMs ?? 5 * 60_000);
  for (let attempt = 0; ; attempt++) {
    const { data } = await deps.api.GET('/auth/{referenceNumber}', { params: { path: { referenceNumber } }, headers: bearer(operationToken), signal });
    const status = must(data, 'GET /auth/{referenceNumber}').status;
    if (status.code === 200) return;
    if (status.code !== 100) throw new KsefAuthenticationError(status.code, status.description, status.details ?? []);
    if (deps.timer.now() >= deadline) throw new KsefAuthenticationError(100, 'KSeF did not finish the authentication in time', []);
    await deps.timer.sleep(Math.min(2_000, 100 * 2 ** attempt), signal);
  }
}
