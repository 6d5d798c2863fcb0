import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoRunLogRepository } from '../../functions/adapters/aws/dynamo-run-log-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { runLogRepositoryContract } from './run-log-repository.contract.js';

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

runLogRepositoryContract('DynamoRunLogRepository on the embedded DynamoDB server', async ({ clock, retentionDays }) => {
  const tableName = `runs-${++tables}`;
  await ensureTable(client, tableName);
  return new DynamoRunLogRepository(client, tableName, { clock, retentionDays });
});
