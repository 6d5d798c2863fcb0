import { KsefJobError } from '../../../domain/errors.js';

/** The error types of the Scheduler API with their HTTP status codes (from the SDK's service model). */
export const API_ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;

export type ApiErrorType = keyof typeof API_ERROR_STATUS;

/** An error the emulator answers with, as AWS does: `x-amzn-ErrorType` header and `{"message"}` body. */
export class SchedulerApiError extends KsefJobError {
  constructor(
    readonly type: ApiErrorType,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERROR_STATUS[this.type];
  }
}

export const validation = (message: string): SchedulerApiError => new SchedulerApiError('ValidationException', message);
export const notFound = (message: string): SchedulerApiError => new SchedulerApiError('ResourceNotFoundException', message);
export const conflict = (message: string): SchedulerApiError => new SchedulerApiError('ConflictException', message);
