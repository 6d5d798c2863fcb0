import type { RateLimitGroup, RateLimitValues } from './rate-limit-groups.js';
import { DEFAULT_RATE_LIMITS } from './rate-limit-groups.js';
import { KsefRateBudgetExhaustedError } from '../../../../ports/ksef-errors.js';

export interface Timer {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

const WINDOWS = [
  { ms: 1_000, limit: (v: RateLimitValues) => v.perSecond },
  { ms: 60_000, limit: (v: RateLimitValues) => v.perMinute },
  { ms: 3_600_000, limit: (v: RateLimitValues) => v.perHour },
] as const;

/** Timestamps of the requests of one counter within the last hour, oldest first. */
class SlidingLog {
  private stamps: number[] = [];
  private head = 0;
  blockedUntil = 0;

  prune(now: number): void {
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? 0) <= now - 3_600_000) this.head++;
    if (this.head > 1024) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
  }

  /** Milliseconds until one more request fits in every window. */
  waitFor(now: number, values: RateLimitValues, marginMs: number): number {
    this.prune(now);
    let wait = Math.max(0, this.blockedUntil - now);
    const count = this.stamps.length - this.head;
    for (const w of WINDOWS) {
      const limit = w.limit(values);
      if (!Number.isFinite(limit)) continue;
      // The request that has to leave the window before one more fits.
      const idx = this.stamps.length - Math.max(1, limit);
      if (idx < this.head || count < limit) continue;
      const stamp = this.stamps[idx] ?? 0;
      if (stamp > now - w.ms) wait = Math.max(wait, stamp + w.ms - now + marginMs);
    }
    return wait;
  }

  record(now: number): void {
    this.stamps.push(now);
  }
}

/**
 * A client-side budget per limit group that mirrors KSeF's sliding windows (per second, minute and
 * hour at once), so the client waits instead of provoking a 429 and the escalating blocks behind it.
 */
export class RateBudget {
  private readonly logs = new Map<string, SlidingLog>();
  private limits: Record<string, RateLimitValues> = { ...DEFAULT_RATE_LIMITS };

  constructor(
    private readonly timer: Timer = realTimer,
    private readonly marginMs = 25,
    /** Told of every wait before a request (for the KsefWaitTime metric). */
    private readonly onWait?: (waitMs: number) => void,
  ) {}

  setLimits(limits: Partial<Record<RateLimitGroup, RateLimitValues>>): void {
    this.limits = { ...this.limits, ...limits };
  }

  limitsOf(group: RateLimitGroup): RateLimitValues | undefined {
    return this.limits[group];
  }

  /**
   * Waits until the counter `key` of `group` has room, then takes one request from it. A wait longer
   * than `maxWaitMs` is not started: KsefRateBudgetExhaustedError tells the caller when to come back.
   */
  async acquire(group: RateLimitGroup, key: string, signal?: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<void> {
    const values = this.limits[group];
    if (!values) return;
    const log = this.logFor(key);
    for (;;) {
      const now = this.timer.now();
      const wait = log.waitFor(now, values, this.marginMs);
      if (wait <= 0) {
        log.record(now);
        return;
      }
      if (wait > maxWaitMs) throw new KsefRateBudgetExhaustedError(key, wait);
      this.onWait?.(wait);
      await this.timer.sleep(wait, signal);
    }
  }

  /** After a 429: nothing more goes to this counter until `Retry-After` has passed. */
  block(key: string, retryAfterMs: number): void {
    const log = this.logFor(key);
    log.blockedUntil = Math.max(log.blockedUntil, this.timer.now() + retryAfterMs);
  }

  private logFor(key: string): SlidingLog {
    let log = this.logs.get(key);
    if (!log) {
      log = new SlidingLog();
      this.logs.set(key, log);
    }
    return log;
  }
}
