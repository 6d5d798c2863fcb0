import type { AuthSession } from './auth/auth-session.js';
import type { PublicKeyStore } from './crypto/public-keys.js';
import type { KsefEnvironment } from './environment.js';
import type { KsefApi } from './http/ksef-api.js';
import type { Timer } from './http/rate-budget.js';
import type { KsefTransport } from './http/transport.js';

/** What every flow of the client shares. */
export interface ClientContext {
  readonly env: KsefEnvironment;
  readonly api: KsefApi;
  readonly auth: AuthSession;
  readonly keys: PublicKeyStore;
  readonly transport: KsefTransport;
  readonly timer: Timer;
  /** Page size of the session invoice lists (10–1000); large pages save rate-limited calls. */
  readonly sessionInvoicePageSize: number;
}
