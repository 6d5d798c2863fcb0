import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoKsefSessionRepository } from '../../functions/adapters/aws/dynamo-ksef-session-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { ksefSessionRepositoryContract } from './ksef-session-repository.contract.js';

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

ksefSessionRepositoryContract('DynamoKsefSessionRepository on the embedded DynamoDB server', async () => {
  const tableName = `ksef-sessions-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoKsefSessionRepository(client, tableName);
});
