import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, toStorageError } from './dynamo-errors.js';

/**
 * The create-once write the Dynamo adapters share: a PutItem that only lands when no item has the
 * key yet. False means one was already there; what that means (a conflict, an idempotent repeat,
 * a retry) each adapter decides after reading the stored item.
 */
export async function putIfAbsent(db: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw toStorageError(error, 'PutItem');
  }
}
