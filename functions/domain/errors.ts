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

/** No run-log row with that id (never written, or past its retention). A 404 like a missing entry. */
export class RunNotFoundError extends EntryNotFoundError {
  constructor(
    codeUnit: string,
    readonly runId: string,
  ) {
    super(codeUnit);
    this.message = `No run '${runId}' exists in the log of code unit '${codeUnit}'.`;
  }
}

// Documents (issue 4); added after the errors above, which stay as they are.

/** One error from XML schema validation: libxml2 gives the line and names the element in its message. */
export interface SchemaIssue {
  readonly line: number | null;
  /** Local name of the element the error is about, e.g. `P_15`; null for parser errors. */
  readonly element: string | null;
  readonly message: string;
}

/**
 * An invoice that is not well-formed XML or breaks the FA(3) schema. A ValidationError (400), so
 * that every mapper of validation errors handles it; `schemaErrors` carries every error, not the first.
 */
export class SchemaValidationError extends ValidationError {
  constructor(readonly schemaErrors: readonly SchemaIssue[]) {
    super(
      schemaErrors.map((issue) => ({
        field: issue.element ?? (issue.line === null ? 'body' : `line ${issue.line}`),
        reason: issue.line === null ? issue.message : `line ${issue.line}: ${issue.message}`,
      })),
    );
    this.message = `The document is not valid FA(3) XML: ${schemaErrors.length} error${schemaErrors.length === 1 ? '' : 's'}.`;
  }
}

/** The body is not of a media type the endpoint takes (415); a ValidationError naming `Content-Type`. */
export class UnsupportedMediaTypeError extends ValidationError {
  constructor(readonly contentType: string | undefined, readonly accepted: readonly string[]) {
    super([{ field: 'Content-Type', reason: `must be one of ${accepted.join(', ')}, not ${contentType ? `'${contentType}'` : 'missing'}` }]);
  }
}

/** The body is larger than the endpoint takes (413); a ValidationError naming `body`. */
export class PayloadTooLargeError extends ValidationError {
  constructor(readonly size: number, readonly limit: number) {
    super([{ field: 'body', reason: `is ${size} bytes, more than the limit of ${limit} bytes` }]);
  }
}

/**
 * The request conflicts with what is stored (409), e.g. an invoice whose business key (seller NIP,
 * invoice type, number) is already taken by different content. `existing` is the stored item.
 */
export class ConflictError<T = unknown> extends KsefJobError {
  constructor(
    message: string,
    readonly existing?: T,
  ) {
    super(message);
  }
}

/** No such document (outgoing, incoming, its XML or UPO). A 404 like a missing entry. */
export class DocumentNotFoundError extends EntryNotFoundError {
  constructor(
    readonly resource: 'document' | 'document-xml' | 'document-upo' | 'incoming-document' | 'incoming-document-xml' | 'ledger-row',
    readonly id: string,
    message?: string,
  ) {
    super(resource);
    this.message = message ?? `No ${resource.replaceAll('-', ' ')} '${id}' exists.`;
  }
}

/**
 * The document exists but its UPO is not stored: not downloaded yet, or (reason) process-upo
 * recorded that KSeF has none for it. A 404 of its own so that the answer does not say the
 * document is missing.
 */
export class UpoNotAvailableError extends DocumentNotFoundError {
  constructor(
    id: string,
    message: string,
    /** Why it will never come (recorded by process-upo), or null while it may still come. */
    readonly reason: string | null,
  ) {
    super('document-upo', id, message);
  }
}
