import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoNotificationStore } from '../../functions/adapters/aws/dynamo-notification-store.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { notificationStoreContract } from './notification-store.contract.js';

let server: EmbeddedDynamo;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  server = await startEmbeddedDynamo();
  client = server.createClient();
});

afterAll(async () => {
  await server?.close();
});

notificationStoreContract('DynamoNotificationStore on the embedded DynamoDB server', async ({ clock, emailLogRetentionDays }) => {
  const tableName = `notify-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoNotificationStore(client, tableName, { clock, emailLogRetentionDays });
});
