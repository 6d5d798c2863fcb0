import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { KsefJobError, StorageError } from '../../domain/errors.js';

export function isConditionFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** Our own errors pass through; anything the SDK threw becomes a StorageError with the SDK error as cause. */
export function toStorageError(error: unknown, action: string): Error {
  if (error instanceof KsefJobError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StorageError(`DynamoDB ${action} failed (${detail}).`, { cause: error });
}

/** Runs one DynamoDB call and translates any failure but a lost condition, which the caller handles. */
export async function dynamo<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailed(error)) throw error;
    throw toStorageError(error, action);
  }
}
