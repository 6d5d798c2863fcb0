import type { KsefApi } from '../http/ksef-api.js';
import { bearer, must } from '../http/ksef-api.js';
import { KsefApiError } from '../../../../ports/ksef-errors.js';
import type { ContextIdentifier } from './auth-token-request.js';
import type { KsefCredentials } from './credentials.js';
import { login, type LoginDeps, type LoginResult, type TokenInfo } from './login.js';

/**
 * Holds one login's tokens: logs in on first use, refreshes the access token a margin before it
 * expires (the refresh token is not rotated), and logs in again when the refresh token is gone.
 */
export class AuthSession {
  private current: LoginResult | undefined;
  private access: TokenInfo | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly deps: LoginDeps & { readonly api: KsefApi },
    private readonly credentials: KsefCredentials,
    private readonly context: ContextIdentifier,
    private readonly refreshMarginMs = 60_000,
  ) {}

  /** A valid access token; concurrent callers share one login or refresh. */
  accessToken(signal?: AbortSignal): Promise<string> {
    const now = this.deps.timer.now();
    if (this.access && Date.parse(this.access.validUntil) - this.refreshMarginMs > now) return Promise.resolve(this.access.token);
    this.pending ??= this.renew(now, signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** After a 401: forget the access token so that the next call refreshes it. */
  invalidateAccessToken(): void {
    this.access = undefined;
  }

  /** Runs `call` with a bearer token; a 401 (token expired early or revoked) gets one fresh token and one more try. */
  async authorized<T>(call: (headers: { Authorization: string }) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await call(bearer(await this.accessToken(signal)));
    } catch (error) {
      if (!(error instanceof KsefApiError && error.status === 401)) throw error;
      this.invalidateAccessToken();
      return call(bearer(await this.accessToken(signal)));
    }
  }

  /** Revokes this login's refresh token (DELETE /auth/sessions/current). */
  async logout(): Promise<void> {
    const tokens = this.current;
    this.current = undefined;
    this.access = undefined;
    if (!tokens) return;
    await this.deps.api.DELETE('/auth/sessions/current', { headers: bearer(tokens.refreshToken.token) });
  }

  private async renew(now: number, signal?: AbortSignal): Promise<string> {
    if (this.current && Date.parse(this.current.refreshToken.validUntil) - this.refreshMarginMs > now) {
      try {
        const { data } = await this.deps.api.POST('/auth/token/refresh', { headers: bearer(this.current.refreshToken.token), signal });
        this.access = must(data, 'POST /auth/token/refresh').accessToken;
        return this.access.token;
      } catch (error) {
        // A revoked or expired refresh token: fall through to a full login.
        if (!(error instanceof KsefApiError && (error.status === 400 || error.status === 401))) throw error;
      }
    }
    this.current = await login(this.deps, this.credentials, this.context, signal);
    this.access = this.current.accessToken;
    return this.access.token;
  }
}
