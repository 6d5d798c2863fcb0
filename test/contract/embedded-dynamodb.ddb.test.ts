import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoEntryRepository } from '../../functions/adapters/aws/dynamo-entry-repository.js';
import { TABLE_KEYS } from '../../functions/adapters/aws/table-layout.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { makeEntry } from '../helpers/entry-factory.js';

describe('the embedded DynamoDB server', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(options: Parameters<typeof startEmbeddedDynamo>[0] = {}): Promise<EmbeddedDynamo> {
    const server = await startEmbeddedDynamo(options);
    cleanups.push(() => server.close());
    return server;
  }

  async function dataDirectory(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ksef-dynalite-'));
    cleanups.unshift(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('keeps data on disk across a restart on the same directory and port', async () => {
    // Prepare
    const path = await dataDirectory();
    const first = await start({ path });
    await ensureTable(first.createClient(), 'jobs');
    const entry = makeEntry({ codeUnit: 'update-ledgers', id: 'kept' });
    await new DynamoEntryRepository(first.createDocumentClient(), 'jobs').create(entry);
    await first.close();
    // Act
    const second = await start({ path, port: first.port });
    const client = second.createClient();
    await ensureTable(client, 'jobs');
    const read = await new DynamoEntryRepository(client, 'jobs').get('update-ledgers');
    // Assess
    expect(second.endpoint).toBe(first.endpoint);
    expect(read).toEqual(entry);
  });

  it('refuses a second server on a data directory that is in use, with a clear error', async () => {
    // Prepare
    const path = await dataDirectory();
    await start({ path });
    // Act
    const second = start({ path });
    // Assess
    await expect(second).rejects.toThrow(/is in use by process/);
  });

  it('takes over a data directory left behind by a process that died', async () => {
    // Prepare
    const path = await dataDirectory();
    const first = await start({ path });
    await ensureTable(first.createClient(), 'jobs');
    await first.close();
    await writeFile(join(path, 'embedded-dynamodb.pid'), '2147483646');
    // Act
    const second = await start({ path });
    // Assess
    await expect(ensureTable(second.createClient(), 'jobs')).resolves.toBeUndefined();
  });

  it('listens on 127.0.0.1 on a free port when none is given', async () => {
    // Act
    const server = await start();
    // Assess
    expect(server.port).toBeGreaterThan(0);
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('closing twice is harmless', async () => {
    // Prepare
    const server = await start();
    // Act
    await server.close();
    // Assess
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('creates the table with the key schema and index of the CDK stack, on demand', async () => {
    // Prepare
    const server = await start();
    const client = server.createClient();
    // Act
    await ensureTable(client, 'jobs');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'jobs' }));
    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: TABLE_KEYS.gsi1Name,
        IndexStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: TABLE_KEYS.gsi1PartitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.gsi1SortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
    ]);
  });

  it('ensuring an existing table again keeps its data', async () => {
    // Prepare
    const server = await start();
    const client = server.createClient();
    await ensureTable(client, 'jobs');
    const entry = makeEntry();
    await new DynamoEntryRepository(client, 'jobs').create(entry);
    // Act
    await ensureTable(client, 'jobs');
    // Assess
    expect(await new DynamoEntryRepository(client, 'jobs').get(entry.codeUnit)).toEqual(entry);
  });

  it('refuses to use an existing table whose key schema differs', async () => {
    // Prepare
    const server = await start();
    const client = server.createClient();
    await client.send(
      new CreateTableCommand({
        TableName: 'foreign',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    // Act
    const outcome = ensureTable(client, 'foreign');
    // Assess
    await expect(outcome).rejects.toThrow(/different key schema/);
  });
});
