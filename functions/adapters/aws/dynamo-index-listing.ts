import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../ports/run-log-repository.js';
import { listingWindow, pageOf, type ListingScope, type ListingWindow } from './document-list-rules.js';
import { withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo } from './dynamo-errors.js';
import { TABLE_KEYS } from './table-layout.js';

/**
 * Reads one GSI1 partition in sort-key order, returning up to `window.limit + 1` items inside the
 * window (the extra one tells whether another page exists). The upper bound is checked here rather
 * than in the key condition, because a key condition cannot combine an exclusive start with a range.
 */
export async function queryIndexWindow(db: DynamoDBDocumentClient, tableName: string, partition: string, window: ListingWindow): Promise<Record<string, unknown>[]> {
  const { gsi1Name, gsi1PartitionKey, gsi1SortKey } = TABLE_KEYS;
  const wanted = window.limit + 1;
  const collected: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (;;) {
    const exclusiveStartKey = startKey;
    const result = await dynamo('Query', () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: gsi1Name,
          ...(window.after === null
            ? { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': gsi1PartitionKey }, ExpressionAttributeValues: { ':pk': partition } }
            : {
                KeyConditionExpression: '#pk = :pk AND #sk > :after',
                ExpressionAttributeNames: { '#pk': gsi1PartitionKey, '#sk': gsi1SortKey },
                ExpressionAttributeValues: { ':pk': partition, ':after': window.after },
              }),
          Limit: wanted,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    for (const item of result.Items ?? []) {
      if (window.upTo !== null && String(item[gsi1SortKey]) > window.upTo) return collected;
      collected.push(item);
      if (collected.length === wanted) return collected;
    }
    startKey = result.LastEvaluatedKey;
    if (startKey === undefined) return collected;
  }
}

/** How many items one GSI1 partition holds: a COUNT query, paged by DynamoDB's 1 MB read limit. */
export async function countIndexPartition(db: DynamoDBDocumentClient, tableName: string, partition: string): Promise<number> {
  const { gsi1Name, gsi1PartitionKey } = TABLE_KEYS;
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const exclusiveStartKey = startKey;
    const result = await dynamo('Query', () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: gsi1Name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': gsi1PartitionKey },
          ExpressionAttributeValues: { ':pk': partition },
          Select: 'COUNT',
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    count += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}

/** One page of a listing that lives in a single GSI1 partition (incoming documents, the ledger). */
export async function pageOfIndexPartition<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  scope: ListingScope,
  query: Parameters<typeof listingWindow>[1],
  sortKeyOf: (item: T) => string,
): Promise<Page<T>> {
  const window = listingWindow(scope, query);
  const items = (await queryIndexWindow(db, tableName, partition, window)).map((item) => withoutTableAttributes(item) as unknown as T);
  return pageOf(items, window, scope, sortKeyOf);
}
