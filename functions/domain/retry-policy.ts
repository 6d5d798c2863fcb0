import { NonRetryableError } from './errors.js';

/*
 * Whether and when a failed attempt is retried, as a pure decision (the runner then stores the
 * retry as the entry's next run). Exponential backoff with equal jitter: the wait before the retry
 * after attempt n is drawn from [d/2, d) with d = rerunDelay × 2^(n−1), capped at an hour. Equal
 * jitter rather than full jitter keeps at least half the configured delay between two calls to KSeF,
 * while still spreading queues that failed together (a KSeF outage) apart.
 * Only the queue's own attempts (schedule, retry, restart) are put to this policy. A manual run
 * ("run now") is one attempt that an admin watches: its failure is never retried and leaves the
 * entry's attempts and next run as they were (finishRun in transitions.ts), so a run-now that fails
 * cannot move a queue's schedule to "the moment someone pressed the button".
 */

/** The longest wait before a retry; beyond it the automatic restart at the next slot is the better tool. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

export const RETRY_STOP_REASONS = ['attempts-exhausted', 'non-retryable'] as const;
export type RetryStopReason = (typeof RETRY_STOP_REASONS)[number];
export const RetryStopReason = {
  AttemptsExhausted: 'attempts-exhausted',
  NonRetryable: 'non-retryable',
} as const satisfies Record<string, RetryStopReason>;

export interface RetryInput {
  /** Attempts made in this failure streak, the one that just failed included (1 after the first failure). */
  readonly attemptsMade: number;
  readonly maxAttempts: number;
  /** Base delay; 0 means retry at once. */
  readonly rerunDelaySeconds: number;
  /** What the failed attempt threw. */
  readonly error: unknown;
  /** Source of jitter, returning values in [0, 1) like Math.random; injected so decisions are reproducible. */
  readonly random: () => number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: RetryStopReason };

/** The wait before the retry that follows attempt `attemptsMade`, before jitter. */
export function backoffCeilingMs(attemptsMade: number, rerunDelaySeconds: number): number {
  const exponent = Math.max(0, Math.floor(attemptsMade) - 1);
  // 2^12 × the smallest non-zero delay (1 s) already exceeds the cap: stop doubling there.
  return Math.min(rerunDelaySeconds * 1000 * 2 ** Math.min(exponent, 12), MAX_RETRY_DELAY_MS);
}

export function decideRetry(input: RetryInput): RetryDecision {
  if (!isRetryable(input.error)) return { retry: false, reason: RetryStopReason.NonRetryable };
  const attemptsMade = Number.isFinite(input.attemptsMade) ? Math.max(1, Math.floor(input.attemptsMade)) : 1;
  if (attemptsMade >= input.maxAttempts) return { retry: false, reason: RetryStopReason.AttemptsExhausted };
  const ceiling = backoffCeilingMs(attemptsMade, Math.max(0, input.rerunDelaySeconds));
  const half = ceiling / 2;
  return { retry: true, delayMs: Math.floor(half + unitInterval(input.random()) * half) };
}

/** A random draw forced into [0, 1), so that a faulty source can never produce a negative or huge wait. */
function unitInterval(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}

const MAX_CAUSE_DEPTH = 10;

/**
 * Whether a retry may fix the failure. The first explicit word along the `cause` chain decides:
 * a NonRetryableError, or any error-like object with a boolean `retryable` (false = do not retry).
 * Anything else is assumed transient.
 */
export function isRetryable(error: unknown): boolean {
  try {
    let current: unknown = error;
    const seen = new Set<unknown>();
    for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null && !seen.has(current); depth += 1) {
      seen.add(current);
      if (current instanceof NonRetryableError) return false;
      const retryable: unknown = (current as { retryable?: unknown }).retryable;
      if (typeof retryable === 'boolean') return retryable;
      current = (current as { cause?: unknown }).cause;
    }
    return true;
  } catch {
    // An object that throws when read (a hostile Proxy) says nothing about retrying.
    return true;
  }
}

/** How a failure is written to the run log and the e-mail. */
export interface ErrorDescription {
  readonly message: string;
  readonly stack: string | null;
  readonly retryable: boolean;
}

const MAX_MESSAGE_LENGTH = 2_000;
const MAX_STACK_LENGTH = 10_000;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** JSON that survives cycles, bigints and throwing toJSON methods. */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, item: unknown) => {
        if (typeof item === 'bigint') return `${item}n`;
        if (typeof item === 'object' && item !== null) {
          if (seen.has(item)) return '[Circular]';
          seen.add(item);
        }
        return item;
      }) ?? String(value)
    );
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function messageOf(error: unknown, depth = 0): { message: string; stack: string | null } {
  if (error instanceof Error) {
    const own = typeof error.message === 'string' && error.message.length > 0 ? error.message : error.name || 'Error';
    const hasCause = error.cause !== undefined && error.cause !== error && depth < MAX_CAUSE_DEPTH;
    const cause = hasCause ? ` (caused by: ${messageOf(error.cause, depth + 1).message})` : '';
    return { message: `${own}${cause}`, stack: typeof error.stack === 'string' ? error.stack : null };
  }
  if (typeof error === 'string') return { message: error.length > 0 ? error : 'An empty string was thrown', stack: null };
  if (error === undefined || error === null) return { message: `${String(error)} was thrown`, stack: null };
  if (typeof error === 'object') {
    const { message, stack } = error as { message?: unknown; stack?: unknown };
    if (typeof message === 'string' && message.length > 0) return { message, stack: typeof stack === 'string' ? stack : null };
    return { message: `A non-Error object was thrown: ${safeJson(error)}`, stack: null };
  }
  if (typeof error === 'symbol' || typeof error === 'function') return { message: `A ${typeof error} was thrown: ${String(error)}`, stack: null };
  return { message: `A non-Error value was thrown: ${String(error)}`, stack: null };
}

/** Describes anything a code unit may throw (strings, plain objects, undefined, cycles) without ever throwing. */
export function describeError(error: unknown): ErrorDescription {
  let described: { message: string; stack: string | null };
  try {
    described = messageOf(error);
  } catch {
    described = { message: 'A value was thrown that could not be described', stack: null };
  }
  return {
    message: truncate(described.message, MAX_MESSAGE_LENGTH),
    stack: described.stack === null ? null : truncate(described.stack, MAX_STACK_LENGTH),
    retryable: isRetryable(error),
  };
}
