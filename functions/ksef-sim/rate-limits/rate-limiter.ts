import { tooManyRequests } from '../http/api-error.js';
import type { RateLimitValues } from './limits.js';

const WINDOWS = [
  { ms: 1_000, key: 'perSecond', label: 'na sekundę' },
  { ms: 60_000, key: 'perMinute', label: 'na minutę' },
  { ms: 3_600_000, key: 'perHour', label: 'na godzinę' },
] as const;

/**
 * Sliding windows per (context, client IP, counter): the last second, minute and hour all apply.
 * A request over a limit is refused with 429 and Retry-After; repeated overruns while blocked
 * lengthen the block, as KSeF does.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly blocks = new Map<string, { until: number; strikes: number }>();

  check(counterKey: string, limits: RateLimitValues, nowMs: number): void {
    const block = this.blocks.get(counterKey);
    if (block && nowMs < block.until) {
      block.strikes++;
      block.until = Math.max(block.until, nowMs + Math.min(2 ** block.strikes, 3600) * 1000);
      const seconds = Math.ceil((block.until - nowMs) / 1000);
      throw tooManyRequests(`Przekroczono limit żądań. Spróbuj ponownie po ${seconds} sekundach.`, seconds);
    }
    const list = this.hits.get(counterKey) ?? [];
    // Keep one hour of history; older hits no longer count.
    while (list.length > 0 && (list[0] as number) <= nowMs - 3_600_000) list.shift();
    for (const w of WINDOWS) {
      const limit = limits[w.key];
      const inWindow = countSince(list, nowMs - w.ms);
      if (inWindow >= limit) {
        const oldestInWindow = list[list.length - inWindow] as number;
        const seconds = Math.max(1, Math.ceil((oldestInWindow + w.ms - nowMs) / 1000));
        this.blocks.set(counterKey, { until: nowMs + seconds * 1000, strikes: (block?.strikes ?? 0) + 1 });
        throw tooManyRequests(`Przekroczono limit ${limit} żądań ${w.label}. Spróbuj ponownie po ${seconds} sekundach.`, seconds);
      }
    }
    list.push(nowMs);
    this.hits.set(counterKey, list);
  }

  reset(): void {
    this.hits.clear();
    this.blocks.clear();
  }
}

/** Hits are in time order: binary search for the first one after `since`. */
function countSince(sorted: readonly number[], since: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > since) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}
