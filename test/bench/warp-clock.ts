import type { Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import type { Clock } from '../../functions/ports/clock.js';

/**
 * Real time plus every wait skipped so far: work takes as long as it really takes, while a sleep
 * (a rate-budget wait, a Retry-After, a polling pause) moves the clock forward at once instead of
 * passing. Shared by the KSeF client (`asTimer`) and the simulator (as its Clock), so both see the same time:
 * the simulator's rate limiter counts in it, and `skippedMs` is the waiting the run would have done.
 */
export class WarpClock implements Clock {
  #skippedMs = 0;
  readonly #startedAt = Date.now();

  get skippedMs(): number {
    return this.#skippedMs;
  }

  /** Time since the clock was made: real time spent plus the waits that were skipped. */
  get elapsedMs(): number {
    return this.now().getTime() - this.#startedAt;
  }

  now(): Date {
    return new Date(Date.now() + this.#skippedMs);
  }

  nowMs(): number {
    return Date.now() + this.#skippedMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#skippedMs += Math.max(0, ms);
    return Promise.resolve();
  }

  get asTimer(): Timer {
    return { now: () => this.nowMs(), sleep: (ms, signal) => this.sleep(ms, signal) };
  }
}
