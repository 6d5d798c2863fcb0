import { KsefJobError } from '../domain/errors.js';

/** A code unit did not finish within its entry's job timeout and was cut off (retryable). */
export class JobTimeoutError extends KsefJobError {
  constructor(readonly timeoutSeconds: number) {
    super(`Timed out after ${timeoutSeconds} s (the entry's job timeout); the run was cut off.`);
  }
}

/** A run's lease went stale: the run crashed or outlived its job timeout without recording it (retryable). */
export class StaleLeaseError extends KsefJobError {}
