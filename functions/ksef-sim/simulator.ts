import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../ports/clock.js';
import { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import { registerAuthRoutes } from './auth/auth-routes.js';
import { registerKsefToken, registerTokenRoutes, type RegisterKsefTokenInput } from './auth/ksef-tokens.js';
import { ALL_PERMISSIONS, type SimContext } from './context.js';
import { PublicKeyRing, PublicKeyUsage, type SimPublicKey } from './crypto/public-keys.js';
import { verifyJwt } from './crypto/jwt.js';
import { FaultInjector } from './faults/faults.js';
import { KsefApiError } from './http/api-error.js';
import { renderError } from './http/render-error.js';
import { Router } from './http/router.js';
import { header, json, type SimRequest, type SimResponse } from './http/types.js';
import { registerMiscRoutes } from './misc-routes.js';
import { resolveOptions, type KsefSimulatorOptions } from './options.js';
import { limitFor } from './rate-limits/groups.js';
import { RateLimiter } from './rate-limits/rate-limiter.js';
import { InvoiceProcessor } from './sessions/invoice-processor.js';
import { registerOnlineSessionRoutes } from './sessions/online-routes.js';
import { registerSessionStatusRoutes } from './sessions/status-routes.js';
import { registerBatchRoutes } from './sessions/batch-routes.js';
import { registerBlobRoutes } from './blob-routes.js';
import { registerInvoiceRoutes } from './invoices/invoice-routes.js';
import { seedIncomingInvoice, type SeedIncomingInvoiceInput } from './invoices/seed.js';
import { registerControlRoutes } from './control-routes.js';
import { SimState, type StoredInvoice } from './state.js';
import { powertoolsLogger } from '../adapters/powertools/powertools-logger.js';

export interface KsefSimulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:3001/v2` (what a client calls KSeF's base URL). */
  readonly url: string;
  /** `http://127.0.0.1:3001`; pre-signed links and `/_sim` control endpoints live here. */
  readonly origin: string;
  readonly state: SimState;
  readonly faults: FaultInjector;
  readonly keys: PublicKeyRing;
  readonly clock: Clock;
  /** Registers an active KSeF token for a context NIP and returns the token string. */
  registerKsefToken(input: RegisterKsefTokenInput): string;
  /** Lets `subjectId` (NIP, PESEL or certificate SHA-256 fingerprint) log in to `contextNip` with XAdES. */
  grantPermissions(contextNip: string, subjectId: string, permissions?: readonly string[]): void;
  /** Stores a purchase (or any) invoice as if another taxpayer had sent it; returns its KSeF metadata. */
  seedIncomingInvoice(input: SeedIncomingInvoiceInput): Promise<StoredInvoice>;
  /** Publishes a newer key for the given usages (a planned rotation). */
  rotateKey(usage?: readonly PublicKeyUsage[]): Promise<SimPublicKey>;
  /** Withdraws a key at once (emergency rotation); requests naming it get 400/21470. */
  withdrawKey(publicKeyId: string): void;
  /** Waits until every invoice and package received so far has been processed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a KSeF API 2.0 simulator on 127.0.0.1 (a free port unless `port` is given). */
export async function createKsefSimulator(options: KsefSimulatorOptions = {}): Promise<KsefSimulator> {
  const clock = options.clock ?? systemClock;
  const resolved = resolveOptions(options);
  const logger = powertoolsLogger({ serviceName: 'ksef-sim' });
  const validator = options.validator ?? new XmllintXsdValidator();
  const state = new SimState();
  const keys = new PublicKeyRing();
  const validFrom = new Date(clock.now().getTime() - 86_400_000);
  await keys.issue([PublicKeyUsage.ksefTokenEncryption], validFrom);
  await keys.issue([PublicKeyUsage.symmetricKeyEncryption], validFrom);
  const faults = new FaultInjector();
  const ctx: SimContext = {
    state,
    clock,
    options: resolved,
    keys,
    faults,
    processor: new InvoiceProcessor(state, clock, validator, resolved, faults),
    validator,
    secret: randomBytes(32),
    grants: new Map(),
    blockedContexts: new Set(),
  };
  const api = new Router();
  registerMiscRoutes(api, ctx);
  registerAuthRoutes(api, ctx);
  registerTokenRoutes(api, ctx);
  registerOnlineSessionRoutes(api, ctx);
  registerBatchRoutes(api, ctx);
  registerSessionStatusRoutes(api, ctx);
  registerInvoiceRoutes(api, ctx);
  const blobs = new Router();
  registerBlobRoutes(blobs, ctx);
  const limiter = new RateLimiter();

  const simulator: Omit<KsefSimulator, 'url' | 'origin' | 'close'> = {
    state,
    faults: ctx.faults,
    keys,
    clock,
    registerKsefToken: (input) => registerKsefToken(ctx, input).token,
    grantPermissions: (contextNip, subjectId, permissions = ALL_PERMISSIONS) => {
      ctx.grants.set(`${contextNip}|${subjectId}`, new Set(permissions));
    },
    seedIncomingInvoice: (input) => seedIncomingInvoice(ctx, input),
    rotateKey: (usage = [PublicKeyUsage.ksefTokenEncryption, PublicKeyUsage.symmetricKeyEncryption]) => keys.issue(usage, clock.now()),
    withdrawKey: (publicKeyId) => keys.withdraw(publicKeyId),
    settle: async () => {
      await Promise.all([...state.sessions.values()].map((s) => s.work));
      await ctx.processor.settle();
    },
  };
  const control = new Router();
  registerControlRoutes(control, ctx, simulator);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const base = { method: req.method ?? 'GET', query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks), clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1', origin };
    if (url.pathname.startsWith('/v2/')) return serveApi({ ...base, path: url.pathname.slice(3), params: {} }, res);
    const router = url.pathname.startsWith('/_blob/') ? blobs : url.pathname.startsWith('/_sim/') ? control : null;
    const simReq: SimRequest = { ...base, path: url.pathname, params: {} };
    const response = router ? await dispatch(router, simReq) : json(404, { title: 'Not Found', status: 404 });
    send(res, response);
  }

  async function serveApi(req: SimRequest, res: ServerResponse): Promise<void> {
    const label = `${req.method} ${req.path}`;
    if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
    let response: SimResponse;
    const serverError = ctx.faults.take('serverErrors', label);
    const storm = serverError ? undefined : ctx.faults.take('tooManyRequests', label);
    if (serverError) {
      response = json(serverError.status ?? 503, { title: 'Service Unavailable', status: serverError.status ?? 503, detail: 'Symulowana awaria serwera.' }, { 'content-type': 'application/problem+json' });
    } else if (storm) {
      const seconds = storm.retryAfterSeconds ?? 1;
      response = renderError(req, new KsefApiError(429, null, `Przekroczono limit żądań. Spróbuj ponownie po ${seconds} sekundach.`, [], { retryAfterSeconds: seconds }), clock.now());
    } else {
      try {
        if (resolved.rateLimits) {
          const { counter, limits } = limitFor(req.method, req.path, resolved.rateLimits);
          const bearer = header(req, 'authorization')?.slice(7);
          const claims = bearer ? verifyJwt(ctx.secret, bearer) : null;
          limiter.check(`${String(claims?.['context-identifier-value'] ?? '-')}|${req.clientIp}|${counter}`, limits, clock.now().getTime());
        }
        response = await dispatch(api, req);
      } catch (error) {
        response = errorResponse(req, error);
      }
    }
    if (resolved.log) logger.info('request', { request: label, status: response.status });
    if (ctx.faults.take('loseResponses', label)) {
      // The work is done and committed; the client never hears about it.
      res.socket?.destroy();
      return;
    }
    const warning = ctx.faults.systemWarning;
    send(res, warning ? { ...response, headers: { ...response.headers, 'x-system-warning': warning } } : response);
  }

  async function dispatch(router: Router, req: SimRequest): Promise<SimResponse> {
    try {
      const match = router.match(req.method, req.path);
      if (match === undefined) return json(404, { title: 'Not Found', status: 404, detail: `Nie ma zasobu ${req.path}.` }, { 'content-type': 'application/problem+json' });
      if (match === 'method-not-allowed') return json(405, { title: 'Method Not Allowed', status: 405 }, { 'content-type': 'application/problem+json' });
      return await match.handler({ ...req, params: match.params });
    } catch (error) {
      return errorResponse(req, error);
    }
  }

  function errorResponse(req: SimRequest, error: unknown): SimResponse {
    if (error instanceof KsefApiError) return renderError(req, error, clock.now());
    logger.error('The simulator failed unexpectedly.', { error });
    return json(500, { title: 'Internal Server Error', status: 500, detail: (error as Error).message }, { 'content-type': 'application/problem+json' });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    ...simulator,
    url: `${origin}/v2`,
    origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.validator) await validator.close();
    },
  };
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let body: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) body = response.body;
  else if (typeof response.body === 'string') body = Buffer.from(response.body, 'utf8');
  else if (response.body !== undefined) body = Buffer.from(JSON.stringify(response.body), 'utf8');
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
