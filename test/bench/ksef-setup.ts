import { rateLimitKey, type RateLimitGroup } from '../../functions/adapters/ksef/client/http/rate-limit-groups.js';
import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import type { KsefSimulatorOptions } from '../../functions/ksef-sim/options.js';
import { SELLER_NIP } from '../helpers/fa3-invoice-factory.js';
import { freshConnectionFetch } from './fresh-connection-fetch.js';

export const NIP = SELLER_NIP;

/** No artificial processing delays: the simulator answers as fast as it can. */
export const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };

/** One request the client made, as the client's own rate budget classifies it. */
export interface LoggedRequest {
  readonly atMs: number;
  readonly method: string;
  /** Path under the API base (`/sessions/online`), or the pre-signed URL's path. */
  readonly path: string;
  /** `unlimited` for pre-signed storage URLs (batch part uploads, UPO links). */
  readonly group: RateLimitGroup;
  readonly key: string;
  /** 0 when no response came. */
  readonly status: number;
}

export interface BenchKsef {
  readonly sim: KsefSimulator;
  readonly gateway: HttpKsefGateway;
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
}

/**
 * The in-process simulator and the real client logged in with a seeded KSeF token, with every
 * request the client sends written down (through `fetchImpl`, so retries and reconciliations count).
 */
export async function startKsef(options: { readonly sim: KsefSimulatorOptions; readonly timer: Timer; readonly now: () => number }): Promise<BenchKsef> {
  // The simulator validates what it receives with its own warm validator, as KSeF would.
  const validator = new XmllintXsdValidator();
  const sim = await createKsefSimulator({ delays: NO_DELAYS, validator, ...options.sim });
  const requests: LoggedRequest[] = [];
  const apiPrefix = new URL(sim.url).pathname;
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const atMs = options.now();
    const inApi = url.pathname.startsWith(`${apiPrefix}/`);
    const path = inApi ? url.pathname.slice(apiPrefix.length) : url.pathname;
    const { group, key } = inApi ? rateLimitKey(method, path) : { group: 'unlimited' as const, key: 'unlimited' };
    try {
      const response = await freshConnectionFetch(input, init);
      requests.push({ atMs, method, path, group, key, status: response.status });
      return response;
    } catch (error) {
      // A request that got no answer still counted at KSeF if it arrived; 0 marks it.
      requests.push({ atMs, method, path, group, key, status: 0 });
      throw error;
    }
  };
  const gateway = new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip: NIP,
    credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
    timer: options.timer,
    onWarning: () => undefined,
    fetchImpl: recordingFetch,
  });
  return {
    sim,
    gateway,
    requests,
    close: async () => {
      await sim.close();
      await validator.close();
    },
  };
}

/** Requests per limit group, with the number of 429 answers among them. */
export function countByGroup(requests: readonly LoggedRequest[]): Map<RateLimitGroup, { requests: number; tooMany: number }> {
  const counts = new Map<RateLimitGroup, { requests: number; tooMany: number }>();
  for (const r of requests) {
    const c = counts.get(r.group) ?? { requests: 0, tooMany: 0 };
    c.requests++;
    if (r.status === 429) c.tooMany++;
    counts.set(r.group, c);
  }
  return counts;
}
