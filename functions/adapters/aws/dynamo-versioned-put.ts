import { PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '../../domain/errors.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';

export interface VersionedPut {
  readonly tableName: string;
  /** The item with its keys and its new version (expectedVersion + 1). */
  readonly item: Record<string, unknown>;
  readonly expectedVersion: number;
  /** Version 0 means "not stored yet": the put then creates the item instead of replacing one. */
  readonly createAtVersionZero?: boolean;
  /** Reads the stored version after a lost condition (ReturnValuesOnConditionCheckFailure is not available everywhere). */
  readonly readVersion: () => Promise<number | undefined>;
}

/**
 * The optimistic-locking write every versioned item shares: a single conditional PutItem; a lost
 * condition becomes VersionConflictError carrying the version actually stored.
 */
export async function putVersioned(db: DynamoDBDocumentClient, put: VersionedPut): Promise<void> {
  const condition =
    put.createAtVersionZero && put.expectedVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': put.expectedVersion },
        };
  try {
    await db.send(new PutCommand({ TableName: put.tableName, Item: put.item, ...condition }));
    return;
  } catch (error) {
    if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
  }
  throw new VersionConflictError(put.expectedVersion, (await put.readVersion()) ?? null);
}

/** Every item a Query matches, following LastEvaluatedKey to the end (for small, bounded partitions). */
export async function queryAll(db: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const result = await dynamo('Query', () => db.send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey })));
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
