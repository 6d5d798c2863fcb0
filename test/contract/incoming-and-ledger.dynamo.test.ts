import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoIncomingDocumentRepository } from '../../functions/adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoLedgerRepository } from '../../functions/adapters/aws/dynamo-ledger-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { incomingDocumentRepositoryContract } from './incoming-document-repository.contract.js';
import { ledgerRepositoryContract } from './ledger-repository.contract.js';

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

async function newTable(): Promise<string> {
  const tableName = `incoming-ledger-${++tables}`;
  await ensureTable(client, tableName);
  return tableName;
}

incomingDocumentRepositoryContract('DynamoIncomingDocumentRepository on the embedded DynamoDB server', async () => new DynamoIncomingDocumentRepository(client, await newTable()));
ledgerRepositoryContract('DynamoLedgerRepository on the embedded DynamoDB server', async () => new DynamoLedgerRepository(client, await newTable()));
