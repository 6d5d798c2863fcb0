import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEntryRepository } from '../../functions/adapters/aws/dynamo-entry-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { entryRepositoryContract } from './entry-repository.contract.js';

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

entryRepositoryContract('DynamoEntryRepository on the embedded DynamoDB server', async () => {
  const tableName = `entries-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoEntryRepository(client, tableName);
});
