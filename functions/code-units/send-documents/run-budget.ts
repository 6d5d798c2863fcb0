import type { CodeUnitContext } from '../../ports/code-unit.js';

/**
 * The part of a run's job timeout that the outgoing code units may use: they stop taking new work
 * `marginMs` before the deadline, so that what is in flight can still be recorded and the session
 * closed before the Lambda (or the lease) ends. `signal` also cuts long waits (Retry-After, rate
 * budget) that would pass that point.
 */
export class RunBudget {
  readonly signal: AbortSignal;
  readonly #stopAt: number;

  constructor(
    private readonly context: CodeUnitContext,
    marginMs: number,
  ) {
    this.#stopAt = context.deadline.getTime() - marginMs;
    const left = Math.max(0, this.#stopAt - context.clock.now().getTime());
    this.signal = AbortSignal.any([context.signal, AbortSignal.timeout(left)]);
  }

  /** True while there is time for one more step. */
  hasTime(): boolean {
    return !this.signal.aborted && this.context.clock.now().getTime() < this.#stopAt;
  }
}

/** The default safety margin: enough to record what was sent and close the session. */
export const DEFAULT_SAFETY_MARGIN_MS = 30_000;
