/** Faults a run can switch on, in-process (`sim.faults.set`) or over HTTP (`/_sim/faults`). */
export interface FaultSettings {
  /** Extra delay before every API response. */
  readonly latencyMs?: number;
  /** The next `count` matching requests get a 5xx (default 503) before any work is done. */
  readonly serverErrors?: { readonly count: number; readonly status?: number; readonly match?: string };
  /** The next `count` matching requests get 429 with `Retry-After`. */
  readonly tooManyRequests?: { readonly count: number; readonly retryAfterSeconds?: number; readonly match?: string };
  /** The next `count` matching requests are processed, then the socket is destroyed (response lost). */
  readonly loseResponses?: { readonly count: number; readonly match?: string };
  /**
   * The next `count` invoices received stay at 150 for `polls` status reads and/or `ms`. A read is
   * one GET of the invoice's status, or one GET of a session invoice list page that shows it.
   */
  readonly stuckInvoices?: { readonly count: number; readonly polls?: number; readonly ms?: number };
  /**
   * The next `count` invoices received end in this invoice status (default 550 "cancelled by the
   * system, retry"; 405 "cancelled because the session failed") with no KSeF number: KSeF does not
   * keep them, so the same invoice may be sent again.
   */
  readonly cancelInvoices?: { readonly count: number; readonly code?: 550 | 405; readonly description?: string };
  /**
   * The next `count` invoices sent in an online session are refused synchronously with 400 and this
   * KSeF error code (default 21405 input validation; 21402 size, 21403 hash) and `details`.
   */
  readonly refuseInvoices?: { readonly count: number; readonly code?: 21402 | 21403 | 21405; readonly details?: readonly string[] };
  /** The next `count` sessions closed end in this status (default 500) instead of processing. */
  readonly failSessions?: { readonly count: number; readonly code?: number; readonly description?: string };
  /** Added as `X-System-Warning` to every API response. */
  readonly systemWarning?: string;
}

type Counted = 'serverErrors' | 'tooManyRequests' | 'loseResponses' | 'stuckInvoices' | 'cancelInvoices' | 'refuseInvoices' | 'failSessions';

/** `match` is a regular expression tested against `METHOD /path` (path without `/v2`). */
export class FaultInjector {
  private settings: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = {};

  set(faults: FaultSettings): void {
    this.settings = { ...this.settings, ...faults };
  }

  clear(): void {
    this.settings = {};
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  get systemWarning(): string | undefined {
    return this.settings.systemWarning;
  }

  /** Takes one use of a counted fault if it applies to `request`; returns its settings. */
  take<K extends Counted>(kind: K, request?: string): NonNullable<FaultSettings[K]> | undefined {
    const fault = this.settings[kind] as (FaultSettings[K] & { count: number; match?: string }) | undefined;
    if (!fault || fault.count <= 0) return undefined;
    if (request !== undefined && fault.match && !new RegExp(fault.match).test(request)) return undefined;
    const left = fault.count - 1;
    this.settings[kind] = (left > 0 ? { ...fault, count: left } : undefined) as never;
    return fault as NonNullable<FaultSettings[K]>;
  }
}
