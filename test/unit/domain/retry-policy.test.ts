import { describe, expect, it } from 'vitest';
import { KsefJobError, NonRetryableError } from '../../../functions/domain/errors.js';
import {
  MAX_RETRY_DELAY_MS,
  backoffCeilingMs,
  decideRetry,
  describeError,
  isRetryable,
  type RetryInput,
} from '../../../functions/domain/retry-policy.js';

const transient = new Error('KSeF answered 503');

function input(overrides: Partial<RetryInput> = {}): RetryInput {
  return { attemptsMade: 1, maxAttempts: 3, rerunDelaySeconds: 60, error: transient, random: () => 0.5, ...overrides };
}

/** A jitter source that always returns `value`. */
const fixed = (value: number) => () => value;

describe('decideRetry: attempts', () => {
  it('the first failure of three allowed attempts is retried', () => {
    expect(decideRetry(input({ attemptsMade: 1 })).retry).toBe(true);
  });

  it('the second failure of three allowed attempts is retried', () => {
    expect(decideRetry(input({ attemptsMade: 2 })).retry).toBe(true);
  });

  it('the third failure of three allowed attempts is final', () => {
    expect(decideRetry(input({ attemptsMade: 3 }))).toEqual({ retry: false, reason: 'attempts-exhausted' });
  });

  it('one allowed attempt means no retry at all', () => {
    expect(decideRetry(input({ attemptsMade: 1, maxAttempts: 1 }))).toEqual({ retry: false, reason: 'attempts-exhausted' });
  });

  it('N allowed attempts give exactly N − 1 retries', () => {
    const decisions = Array.from({ length: 10 }, (_, index) => decideRetry(input({ attemptsMade: index + 1, maxAttempts: 10 })));
    expect(decisions.filter((decision) => decision.retry)).toHaveLength(9);
    expect(decisions.at(-1)).toEqual({ retry: false, reason: 'attempts-exhausted' });
  });
});

describe('decideRetry: backoff and jitter', () => {
  it('the wait doubles with every attempt, starting from the rerun delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffCeilingMs(attempt, 60))).toEqual([60_000, 120_000, 240_000, 480_000]);
  });

  it('the wait is capped at one hour', () => {
    expect(backoffCeilingMs(9, 60)).toBe(MAX_RETRY_DELAY_MS);
    expect(backoffCeilingMs(1, 3600)).toBe(MAX_RETRY_DELAY_MS);
    expect(backoffCeilingMs(1_000, 3600)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('equal jitter keeps the wait between half the ceiling and the ceiling', () => {
    expect(decideRetry(input({ attemptsMade: 2, random: fixed(0) }))).toEqual({ retry: true, delayMs: 60_000 });
    expect(decideRetry(input({ attemptsMade: 2, random: fixed(0.5) }))).toEqual({ retry: true, delayMs: 90_000 });
    expect(decideRetry(input({ attemptsMade: 2, random: fixed(0.999_999) }))).toEqual({ retry: true, delayMs: 119_999 });
  });

  it('every draw of the jitter source stays within the bounds', () => {
    // A deterministic spread of draws over [0, 1).
    for (let step = 0; step < 1000; step += 1) {
      const decision = decideRetry(input({ attemptsMade: 3, maxAttempts: 10, random: fixed(step / 1000) }));
      if (!decision.retry) throw new Error('expected a retry');
      expect(decision.delayMs).toBeGreaterThanOrEqual(120_000);
      expect(decision.delayMs).toBeLessThan(240_000);
    }
  });

  it('a faulty jitter source can never produce a negative wait or one above the ceiling', () => {
    for (const value of [-1, 1, 7, Number.NaN, Number.POSITIVE_INFINITY]) {
      const decision = decideRetry(input({ random: fixed(value) }));
      if (!decision.retry) throw new Error('expected a retry');
      expect(decision.delayMs).toBeGreaterThanOrEqual(30_000);
      expect(decision.delayMs).toBeLessThan(60_000);
    }
  });

  it('a rerun delay of 0 retries at once', () => {
    expect(decideRetry(input({ rerunDelaySeconds: 0, attemptsMade: 2, random: fixed(0.9) }))).toEqual({ retry: true, delayMs: 0 });
  });
});

describe('decideRetry: errors a retry cannot fix', () => {
  it('a NonRetryableError is not retried even with attempts left', () => {
    const error = new NonRetryableError('KSeF refused the authentication token');
    expect(decideRetry(input({ error }))).toEqual({ retry: false, reason: 'non-retryable' });
  });

  it('any error marked retryable: false is not retried', () => {
    const error = Object.assign(new Error('400 Bad Request: invalid NIP'), { retryable: false });
    expect(decideRetry(input({ error }))).toEqual({ retry: false, reason: 'non-retryable' });
    expect(decideRetry(input({ error: { message: 'config missing', retryable: false } }))).toEqual({ retry: false, reason: 'non-retryable' });
  });

  it('a NonRetryableError wrapped as the cause of another error is still not retried', () => {
    const error = new KsefJobError('sending the batch failed', { cause: new NonRetryableError('invalid configuration') });
    expect(isRetryable(error)).toBe(false);
  });

  it('an explicit retryable: true on the outer error wins over its cause', () => {
    const error = Object.assign(new Error('gateway timeout'), { retryable: true, cause: new NonRetryableError('old') });
    expect(isRetryable(error)).toBe(true);
  });

  it('ordinary errors and thrown non-Error values are retried', () => {
    for (const error of [new TypeError('x is undefined'), 'boom', undefined, null, 42, { code: 'ECONNRESET' }]) {
      expect(decideRetry(input({ error })).retry).toBe(true);
    }
  });

  it('a cause chain that loops back on itself is walked safely', () => {
    const first = new Error('first') as Error & { cause?: unknown };
    const second = new Error('second', { cause: first });
    first.cause = second;
    expect(isRetryable(first)).toBe(true);
  });
});

describe('describeError', () => {
  it('an Error gives its message, its stack and whether a retry may help', () => {
    const error = new TypeError('Cannot read properties of undefined');
    expect(describeError(error)).toEqual({ message: 'Cannot read properties of undefined', stack: error.stack, retryable: true });
  });

  it('a NonRetryableError is described as not retryable', () => {
    expect(describeError(new NonRetryableError('bad config')).retryable).toBe(false);
  });

  it('the cause is part of the message', () => {
    const error = new KsefJobError('UPO download failed', { cause: new Error('socket hang up') });
    expect(describeError(error).message).toBe('UPO download failed (caused by: socket hang up)');
  });

  it('an Error without a message is named by its class', () => {
    expect(describeError(new RangeError()).message).toBe('RangeError');
  });

  it('a thrown string becomes the message, without a stack', () => {
    expect(describeError('KSeF session expired')).toEqual({ message: 'KSeF session expired', stack: null, retryable: true });
    expect(describeError('').message).toBe('An empty string was thrown');
  });

  it('undefined and null are described as thrown values', () => {
    expect(describeError(undefined)).toEqual({ message: 'undefined was thrown', stack: null, retryable: true });
    expect(describeError(null).message).toBe('null was thrown');
  });

  it('numbers, symbols and functions are described', () => {
    expect(describeError(42).message).toBe('A non-Error value was thrown: 42');
    expect(describeError(10n).message).toBe('A non-Error value was thrown: 10');
    expect(describeError(Symbol('oops')).message).toBe('A symbol was thrown: Symbol(oops)');
    expect(describeError(() => 1).message).toMatch(/^A function was thrown/);
  });

  it('a plain object with a message is described by that message', () => {
    expect(describeError({ message: 'throttled', stack: 'at somewhere', retryable: false })).toEqual({
      message: 'throttled',
      stack: 'at somewhere',
      retryable: false,
    });
  });

  it('a plain object without a message is shown as JSON', () => {
    expect(describeError({ status: 500, body: { error: 'x' } }).message).toBe('A non-Error object was thrown: {"status":500,"body":{"error":"x"}}');
  });

  it('a circular object is described without throwing', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(describeError(circular).message).toBe('A non-Error object was thrown: {"name":"loop","self":"[Circular]"}');
  });

  it('an Error that is its own cause is described without looping', () => {
    const error = new Error('self') as Error & { cause?: unknown };
    error.cause = error;
    expect(describeError(error).message).toBe('self');
  });

  it('an object that throws when read is described without throwing', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no access');
        },
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(describeError(hostile)).toEqual({ message: 'A value was thrown that could not be described', stack: null, retryable: true });
  });

  it('an object whose toJSON throws falls back to its type tag', () => {
    expect(describeError({ toJSON: () => { throw new Error('nope'); } }).message).toBe('A non-Error object was thrown: [object Object]');
  });

  it('a huge message is cut to a size the run log can hold', () => {
    const { message } = describeError(new Error('x'.repeat(50_000)));
    expect(message.length).toBe(2_000);
    expect(message.endsWith('…')).toBe(true);
  });
});
