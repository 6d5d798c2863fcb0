import type {
  BatchInvoice,
  BatchOptions,
  IncrementalSyncRequest,
  InvoiceMetadataQuery,
  InvoiceToSend,
  KsefGateway,
} from '../../../ports/ksef-gateway.js';
import type { Logger } from '../../../ports/logger.js';
import { METRIC, type Metrics } from '../../../ports/metrics.js';
import { powertoolsLogger } from '../../powertools/powertools-logger.js';
import { AuthSession } from './auth/auth-session.js';
import type { ContextIdentifier } from './auth/auth-token-request.js';
import type { KsefCredentials } from './auth/credentials.js';
import type { ClientContext } from './client-context.js';
import { sha256Base64 } from './crypto/primitives.js';
import { PublicKeyStore } from './crypto/public-keys.js';
import { parseKsefEnvironment, type KsefEnvironmentInput } from './environment.js';
import { createKsefApi, must } from './http/ksef-api.js';
import { RateBudget, realTimer, type Timer } from './http/rate-budget.js';
import { RATE_LIMIT_GROUPS, type RateLimitValues } from './http/rate-limit-groups.js';
import { KsefTransport, type KsefWarning } from './http/transport.js';
import { downloadInvoice } from './invoices/download-invoice.js';
import { syncInvoices } from './invoices/export-invoices.js';
import { queryInvoiceMetadata } from './invoices/metadata-query.js';
import { sendBatch, type BatchSendOptions } from './sessions/batch-session.js';
import type { FormCodeName } from './sessions/form-codes.js';
import { closeSessionOnce, openOnlineSession, SessionKeys } from './sessions/online-session.js';
import { sendInvoiceOnce, type SendOnceOptions } from './sessions/send-invoice-once.js';
import {
  downloadInvoiceUpo,
  downloadSessionUpo,
  findInvoiceByHash,
  getInvoiceStatus,
  getSessionState,
  listSessionInvoices,
} from './sessions/session-status.js';

export interface HttpKsefGatewayOptions {
  readonly environment: KsefEnvironmentInput;
  /** The company NIP: the login context. */
  readonly nip: string;
  readonly credentials: KsefCredentials;
  readonly formCode?: FormCodeName;
  /** Called for every `X-System-Warning` KSeF sends (README §6); default: a warning in the log. */
  readonly onWarning?: (warning: KsefWarning) => void;
  /** Where warnings go; default: a Powertools logger of the `ksef-client` service. */
  readonly logger?: Logger;
  /** Told of every 429 answer (KsefRateLimited) and every wait before a request (KsefWaitTime). */
  readonly metrics?: Metrics;
  /** Read `GET /rate-limits` after login and budget by it (default true). */
  readonly readRateLimits?: boolean;
  readonly timer?: Timer;
  readonly sendOnce?: SendOnceOptions;
  readonly batch?: Omit<BatchSendOptions, keyof BatchOptions>;
  readonly fetchImpl?: typeof fetch;
  /**
   * The longest the client waits for the rate-limit budget or a 429's Retry-After before a request
   * (default 2 minutes); a longer wait throws KsefRateBudgetExhaustedError so that a run can end in time.
   */
  readonly maxWaitMs?: number;
  /** Page size of session invoice lists (default 1000, the API maximum). */
  readonly sessionInvoicePageSize?: number;
}

/** KsefGateway over KSeF API 2.0 HTTP (real TEST/DEMO/PROD, or the simulator through its base URL). */
export class HttpKsefGateway implements KsefGateway {
  readonly contextNip: string;
  private readonly ctx: ClientContext;
  private readonly budget: RateBudget;
  private readonly sessionKeys = new SessionKeys();
  private rateLimitsRead = false;
  private readonly logger: Logger;

  constructor(private readonly options: HttpKsefGatewayOptions) {
    const env = parseKsefEnvironment(options.environment);
    const timer = options.timer ?? realTimer;
    this.logger = options.logger ?? powertoolsLogger({ serviceName: 'ksef-client' });
    const { metrics } = options;
    this.budget = new RateBudget(timer, undefined, metrics ? (waitMs) => metrics.add(METRIC.ksefWaitTime, 'Milliseconds', waitMs) : undefined);
    const transport = new KsefTransport({
      baseUrl: env.baseUrl,
      budget: this.budget,
      timer,
      requestTimeoutMs: env.requestTimeoutMs,
      maxWaitMs: options.maxWaitMs ?? 120_000,
      onWarning: options.onWarning ?? ((w) => this.logger.warn('KSeF sent a warning.', { method: w.method, path: w.path, warning: w.message })),
      ...(metrics ? { onRateLimited: () => metrics.add(METRIC.ksefRateLimited, 'Count', 1) } : {}),
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    });
    const api = createKsefApi(env.baseUrl, transport);
    const keys = new PublicKeyStore(
      async () => must((await api.GET('/security/public-key-certificates')).data, 'GET /security/public-key-certificates'),
      timer,
      env.publicKeyTtlMs,
    );
    const context: ContextIdentifier = { type: 'Nip', value: options.nip };
    const auth = new AuthSession({ api, keys, timer }, options.credentials, context);
    this.ctx = { env, api, auth, keys, transport, timer, sessionInvoicePageSize: options.sessionInvoicePageSize ?? 1000 };
    this.contextNip = options.nip;
  }

  async authenticate(signal?: AbortSignal): Promise<void> {
    await this.ctx.auth.accessToken(signal);
    await this.loadRateLimits(signal);
  }

  logout(): Promise<void> {
    return this.ctx.auth.logout();
  }

  invoiceHash(xml: string | Uint8Array): string {
    return sha256Base64(xml);
  }

  async openOnlineSession(signal?: AbortSignal) {
    await this.loadRateLimits(signal);
    return openOnlineSession(this.ctx, this.sessionKeys, this.options.formCode, signal);
  }

  async sendInvoice(sessionReferenceNumber: string, invoice: InvoiceToSend, signal?: AbortSignal) {
    return sendInvoiceOnce(this.ctx, sessionReferenceNumber, this.sessionKeys.get(sessionReferenceNumber), invoice, this.options.sendOnce, signal);
  }

  async closeOnlineSession(sessionReferenceNumber: string, signal?: AbortSignal): Promise<void> {
    await closeSessionOnce(this.ctx, 'online', sessionReferenceNumber, signal);
    this.sessionKeys.delete(sessionReferenceNumber);
  }

  async sendBatch(invoices: readonly BatchInvoice[], options?: BatchOptions, signal?: AbortSignal) {
    await this.loadRateLimits(signal);
    return sendBatch(this.ctx, invoices, { formCode: this.options.formCode ?? 'FA(3)', ...this.options.batch, ...options }, signal);
  }

  getSessionState(sessionReferenceNumber: string, signal?: AbortSignal) {
    return getSessionState(this.ctx, sessionReferenceNumber, signal);
  }

  getInvoiceStatus(sessionReferenceNumber: string, invoiceReferenceNumber: string, signal?: AbortSignal) {
    return getInvoiceStatus(this.ctx, sessionReferenceNumber, invoiceReferenceNumber, signal);
  }

  listSessionInvoices(sessionReferenceNumber: string, options?: { failedOnly?: boolean }, signal?: AbortSignal) {
    return listSessionInvoices(this.ctx, sessionReferenceNumber, options?.failedOnly ?? false, signal);
  }

  findInvoiceByHash(sessionReferenceNumber: string, invoiceHash: string, signal?: AbortSignal) {
    return findInvoiceByHash(this.ctx, sessionReferenceNumber, invoiceHash, signal);
  }

  downloadInvoiceUpo(sessionReferenceNumber: string, invoiceReferenceNumber: string, signal?: AbortSignal) {
    return downloadInvoiceUpo(this.ctx, sessionReferenceNumber, invoiceReferenceNumber, signal);
  }

  downloadSessionUpo(sessionReferenceNumber: string, signal?: AbortSignal) {
    return downloadSessionUpo(this.ctx, sessionReferenceNumber, signal);
  }

  async queryInvoiceMetadata(query: InvoiceMetadataQuery, signal?: AbortSignal) {
    await this.loadRateLimits(signal);
    return queryInvoiceMetadata(this.ctx, query, signal);
  }

  async downloadInvoice(ksefNumber: string, signal?: AbortSignal) {
    await this.loadRateLimits(signal);
    return downloadInvoice(this.ctx, ksefNumber, signal);
  }

  async syncInvoices(request: IncrementalSyncRequest, signal?: AbortSignal) {
    await this.loadRateLimits(signal);
    return syncInvoices(this.ctx, request, {}, signal);
  }

  /** Budgets by the limits KSeF says are in force (README §9: read them, do not hard-code them); best effort. */
  private async loadRateLimits(signal?: AbortSignal): Promise<void> {
    if (this.rateLimitsRead || this.options.readRateLimits === false) return;
    this.rateLimitsRead = true;
    try {
      const limits = await this.ctx.auth.authorized(async (headers) => must((await this.ctx.api.GET('/rate-limits', { headers, signal })).data, 'GET /rate-limits'), signal);
      const known: Partial<Record<(typeof RATE_LIMIT_GROUPS)[number], RateLimitValues>> = {};
      for (const group of RATE_LIMIT_GROUPS) if (limits[group]) known[group] = limits[group];
      this.budget.setLimits(known);
    } catch (error) {
      // The production defaults stay in force; a failed read must not stop sending.
      this.logger.warn('KSeF rate limits could not be read; using the production defaults.', { error: (error as Error).message });
    }
  }
}
