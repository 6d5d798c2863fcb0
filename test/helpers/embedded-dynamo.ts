import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';

export interface EmbeddedDynamoFixture {
  readonly server: EmbeddedDynamo;
  readonly client: DynamoDBClient;
  /** A new table with the stack's key schema, named `<prefix>-<n>`, so that tests never share data. */
  freshTable(): Promise<string>;
}

/** One embedded DynamoDB server for the test file (started before, closed after), a fresh table per call. */
export function useEmbeddedDynamo(prefix: string): EmbeddedDynamoFixture {
  let server: EmbeddedDynamo | undefined;
  let client: DynamoDBClient | undefined;
  let tables = 0;

  beforeAll(async () => {
    server = await startEmbeddedDynamo();
    client = server.createClient();
  });

  afterAll(async () => {
    await server?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The embedded DynamoDB server starts in beforeAll; use the fixture inside tests.');
    return value;
  };

  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
    async freshTable() {
      const tableName = `${prefix}-${++tables}`;
      await ensureTable(started(client), tableName);
      return tableName;
    },
  };
}
