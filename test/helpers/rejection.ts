import { expect } from 'vitest';

/**
 * The error a promise is rejected with, for assertions on it; a promise that fulfils fails the test
 * instead of passing by accident. `E` only names what the test expects: it is not checked here.
 */
export async function rejection<E = unknown>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => expect.unreachable('the call should have been refused'),
    (error: unknown) => error as E,
  );
}
