/** Base of every error this system raises on purpose. */
export class KsefJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A failure that a retry cannot fix (invalid configuration, auth refused, 4xx validation). */
export class NonRetryableError extends KsefJobError {}

export class UnknownCodeUnitError extends KsefJobError {
  constructor(readonly codeUnit: string) {
    super(`Unknown code unit '${codeUnit}'.`);
  }
}

export class EntryNotFoundError extends KsefJobError {
  constructor(readonly codeUnit: string) {
    super(`No job queue entry exists for code unit '${codeUnit}'.`);
  }
}

/** Thrown by a repository when a create finds the item already there; carries the existing item. */
export class EntryAlreadyExistsError<T = unknown> extends KsefJobError {
  constructor(readonly existing: T) {
    super('The job queue entry already exists.');
  }
}

/** A conditional write lost: the stored version is not the expected one. */
export class VersionConflictError extends KsefJobError {
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(`Version conflict: expected ${expectedVersion}, found ${actualVersion ?? 'none'}.`);
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. `recurrence.startingTime`. */
  readonly field: string;
  readonly reason: string;
}

export class ValidationError extends KsefJobError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
  }
}

/** A status change that the state machine does not allow (e.g. delete while InProcess). */
export class IllegalTransitionError extends KsefJobError {
  constructor(
    readonly from: string,
    readonly to: string,
    reason?: string,
  ) {
    super(reason ?? `Cannot go from ${from} to ${to}.`);
  }
}

/**
 * A run-log row could not be completed because it is not InProcess any more (already completed,
 * or recorded as an Error by the stale-lease check) or does not exist. A VersionConflictError, so
 * that callers written against the port's contract keep working; `stored` is what is there now.
 */
export class RunNotInProcessError<T = unknown> extends VersionConflictError {
  constructor(
    readonly runId: string,
    readonly stored: T | undefined,
    readonly storedStatus: string | null,
  ) {
    super(0, null);
    this.message = storedStatus === null
      ? `Run '${runId}' cannot be completed: it was never started (or has expired).`
      : `Run '${runId}' cannot be completed: it is ${storedStatus}, not InProcess.`;
  }
}

/** The data store failed for a reason other than a lost condition (throttling, network, …); retryable. */
export class StorageError extends KsefJobError {}
