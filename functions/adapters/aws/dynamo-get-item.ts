import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo-errors.js';

/**
 * One item by its key, as stored (table attributes included). Always a consistent read: the
 * adapters read right after a lost condition or their own write, and must see what is there now.
 */
export async function getItem(db: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo('GetItem', () => db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })));
  return Item;
}
