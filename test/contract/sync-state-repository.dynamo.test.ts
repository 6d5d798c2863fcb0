import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSyncStateRepository } from '../../functions/adapters/aws/dynamo-sync-state-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { syncStateRepositoryContract } from './sync-state-repository.contract.js';

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

syncStateRepositoryContract('DynamoSyncStateRepository on the embedded DynamoDB server', async () => {
  const tableName = `sync-state-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoSyncStateRepository(client, tableName);
});
