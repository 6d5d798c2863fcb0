import {
  ConflictError,
  DocumentNotFoundError,
  EntryAlreadyExistsError,
  EntryNotFoundError,
  IllegalTransitionError,
  PayloadTooLargeError,
  RunNotFoundError,
  SchemaValidationError,
  StorageError,
  UnknownCodeUnitError,
  UnsupportedMediaTypeError,
  UpoNotAvailableError,
  ValidationError,
  VersionConflictError,
} from '../domain/errors.js';
import { CODE_UNIT_IDS, CODE_UNITS } from '../domain/catalogue.js';
import { etagOf } from './http-response.js';
import type { ProblemDetails } from './problem.js';
import { ApiProblem, problemDetails } from './problem.js';

export interface MappedProblem {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /** True when the error is a defect or an outage rather than the caller's doing: log it with its stack. */
  readonly unexpected: boolean;
}

const expected = (problem: ProblemDetails, headers: Readonly<Record<string, string>> = {}): MappedProblem => ({ problem, headers, unexpected: false });

/** The code units in pipeline order, as an admin would pick one. */
const CODE_UNIT_LIST = [...CODE_UNIT_IDS].sort((a, b) => CODE_UNITS[a].order - CODE_UNITS[b].order).join(', ');

/** The request's code unit is quoted short, so that the list of valid ones always fits the detail. */
function unknownCodeUnit(error: UnknownCodeUnitError, instance: string): ProblemDetails {
  const given = error.codeUnit.length > 60 ? `${error.codeUnit.slice(0, 60)}…` : error.codeUnit;
  return problemDetails('unknownCodeUnit', `Unknown code unit '${given}'; the code units are ${CODE_UNIT_LIST}.`, instance, [
    { field: 'codeUnit', reason: `must be one of ${CODE_UNIT_LIST}` },
  ]);
}

/** Domain errors → problem+json. Messages of unexpected errors never reach the body. */
export function errorToProblem(error: unknown, instance: string): MappedProblem {
  if (error instanceof ApiProblem) return expected(problemDetails(error.kind, error.message, instance, error.extras.errors), error.extras.headers);
  // The document errors before ValidationError and EntryNotFoundError, which they extend.
  if (error instanceof SchemaValidationError) return expected(problemDetails('invalidDocument', error.message, instance, error.issues, error.schemaErrors));
  if (error instanceof UnsupportedMediaTypeError) return expected(problemDetails('unsupportedMediaType', error.message, instance, error.issues));
  if (error instanceof PayloadTooLargeError) return expected(problemDetails('payloadTooLarge', error.message, instance, error.issues));
  if (error instanceof UpoNotAvailableError) return expected(problemDetails(error.reason === null ? 'upoNotYet' : 'noUpo', error.message, instance));
  if (error instanceof DocumentNotFoundError) return expected(problemDetails('documentNotFound', error.message, instance));
  if (error instanceof ValidationError) return expected(problemDetails('validation', error.message, instance, error.issues));
  if (error instanceof UnknownCodeUnitError) return expected(unknownCodeUnit(error, instance));
  // Before EntryNotFoundError, which it extends.
  if (error instanceof RunNotFoundError) return expected(problemDetails('runNotFound', error.message, instance));
  if (error instanceof EntryNotFoundError) return expected(problemDetails('entryNotFound', error.message, instance));
  if (error instanceof VersionConflictError) {
    const current: Record<string, string> = error.actualVersion === null ? {} : { etag: etagOf(error.actualVersion) };
    return expected(problemDetails('versionConflict', 'The entry has changed since you read it; read it again and retry.', instance), current);
  }
  if (error instanceof IllegalTransitionError) return expected(problemDetails('illegalTransition', error.message, instance));
  if (error instanceof EntryAlreadyExistsError) return expected(problemDetails('entryExists', 'The job queue entry already exists.', instance));
  if (error instanceof ConflictError) return expected(problemDetails('conflict', error.message, instance));
  if (error instanceof StorageError) {
    return { problem: problemDetails('unavailable', 'The data store is not answering; retry in a moment.', instance), headers: { 'retry-after': '5' }, unexpected: true };
  }
  return { problem: problemDetails('internal', 'An unexpected error occurred; it has been logged.', instance), headers: {}, unexpected: true };
}
