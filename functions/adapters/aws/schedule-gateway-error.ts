import { KsefJobError, NonRetryableError } from '../../domain/errors.js';

/** The Scheduler failed for a reason a retry may fix (throttling, a server error, the network). */
export class ScheduleGatewayError extends KsefJobError {}

/** The Scheduler refused the request itself (validation, a missing schedule group, a quota): retrying will not help. */
export class ScheduleRejectedError extends NonRetryableError {}

const REJECTIONS = new Set(['ValidationException', 'ResourceNotFoundException', 'ServiceQuotaExceededException', 'ConflictException', 'AccessDeniedException']);

export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Our own errors pass through; an SDK error becomes one of ours, with the SDK error as cause. */
export function toScheduleGatewayError(error: unknown, action: string): Error {
  if (error instanceof KsefJobError) return error;
  const name = errorName(error) ?? 'Error';
  const detail = error instanceof Error ? `${name}: ${error.message}` : String(error);
  const message = `EventBridge Scheduler ${action} failed (${detail}).`;
  return REJECTIONS.has(name) ? new ScheduleRejectedError(message, { cause: error }) : new ScheduleGatewayError(message, { cause: error });
}
