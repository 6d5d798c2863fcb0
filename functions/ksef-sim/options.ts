import type { Clock } from '../ports/clock.js';
import type { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import { PRODUCTION_RATE_LIMITS, type RateLimitTable } from './rate-limits/limits.js';

export interface SimDelays {
  /** An auth operation stays at 100 this long. */
  readonly authMs: number;
  /** An invoice shows 100 this long after it was received, then 150. */
  readonly acceptMs: number;
  /** An invoice shows its final status this long after it was received (at the earliest). */
  readonly processingMs: number;
  /**
   * `permanentStorageDate` comes this long after `acquisitionDate` (KSeF stores asynchronously).
   * Until then an invoice is in no query or export, and the high-water mark stays before it.
   */
  readonly permanentStorageMs: number;
  /** A closed session shows 170 (online) / 150 (batch) at least this long before 200. */
  readonly sessionCloseMs: number;
  /** An export shows 100 this long. */
  readonly exportMs: number;
}

export interface KsefSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The simulator's time; a `ManualClock` lets tests move it. Defaults to the system clock. */
  readonly clock?: Clock;
  readonly delays?: Partial<SimDelays>;
  /** Per-group limits; `false` switches rate limiting off. Default: production values. */
  readonly rateLimits?: false | Partial<RateLimitTable>;
  /** Invoices per session (KSeF default 10,000). */
  readonly maxInvoicesPerSession?: number;
  /** Records one metadata query filter set returns before `isTruncated` (KSeF: 10,000). */
  readonly queryResultCap?: number;
  /** Invoices per export package (KSeF: 10,000). */
  readonly exportInvoiceCap?: number;
  /** Export part size before encryption (KSeF: 50 MB). */
  readonly exportPartSize?: number;
  readonly accessTokenTtlMs?: number;
  readonly refreshTokenTtlMs?: number;
  readonly sessionTtlMs?: number;
  /** A shared validator (it owns worker threads); one is created and closed with the simulator otherwise. */
  readonly validator?: XmllintXsdValidator;
  /** Log each request to stdout (the stand-alone runner turns it on). */
  readonly log?: boolean;
}

export interface ResolvedOptions {
  /** Changeable while the simulator runs (`PUT /_sim/delays`); each applies from then on. */
  readonly delays: { -readonly [K in keyof SimDelays]: SimDelays[K] };
  readonly rateLimits: RateLimitTable | null;
  readonly maxInvoicesPerSession: number;
  readonly queryResultCap: number;
  readonly exportInvoiceCap: number;
  readonly exportPartSize: number;
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  readonly sessionTtlMs: number;
  readonly log: boolean;
}

export const DEFAULT_DELAYS: SimDelays = {
  authMs: 0,
  acceptMs: 0,
  processingMs: 0,
  permanentStorageMs: 3_000,
  sessionCloseMs: 0,
  exportMs: 0,
};

export function resolveOptions(options: KsefSimulatorOptions): ResolvedOptions {
  return {
    delays: { ...DEFAULT_DELAYS, ...options.delays },
    rateLimits: options.rateLimits === false ? null : { ...PRODUCTION_RATE_LIMITS, ...options.rateLimits },
    maxInvoicesPerSession: options.maxInvoicesPerSession ?? 10_000,
    queryResultCap: options.queryResultCap ?? 10_000,
    exportInvoiceCap: options.exportInvoiceCap ?? 10_000,
    exportPartSize: options.exportPartSize ?? 50 * 1024 * 1024,
    accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * 60_000,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 7 * 86_400_000,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    log: options.log ?? false,
  };
}
