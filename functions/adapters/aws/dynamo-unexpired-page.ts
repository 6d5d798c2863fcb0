import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo-errors.js';
import { TABLE_KEYS } from './table-layout.js';

export type UnexpiredPageQuery = Omit<QueryCommandInput, 'FilterExpression' | 'Limit' | 'ExclusiveStartKey'>;

/**
 * One page of a Query that hides rows past their `ttl`: TTL deletion is late on AWS and absent in
 * the embedded server, so readers filter expired rows themselves (the run log and the e-mail log).
 * One row more than asked tells whether another page exists; the filter may thin a round (Limit
 * counts rows before filtering), so rounds go on until there are enough rows or none are left.
 */
export async function queryUnexpiredPage(
  db: DynamoDBDocumentClient,
  query: UnexpiredPageQuery,
  page: { readonly limit: number; readonly startKey: Record<string, unknown> | undefined; readonly now: Date },
): Promise<{ rows: Record<string, unknown>[]; hasMore: boolean }> {
  const { limit } = page;
  const nowEpoch = Math.floor(page.now.getTime() / 1000);
  const collected: Record<string, unknown>[] = [];
  let startKey = page.startKey;
  do {
    const exclusiveStartKey = startKey;
    const result = await dynamo('Query', () =>
      db.send(
        new QueryCommand({
          ...query,
          FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
          ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':now': nowEpoch },
          // Not shrunk on later rounds: a long stretch of expired rows must not cost one request per row.
          Limit: limit + 1,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    );
    collected.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (collected.length <= limit && startKey !== undefined);
  return { rows: collected.slice(0, limit), hasMore: collected.length > limit };
}
