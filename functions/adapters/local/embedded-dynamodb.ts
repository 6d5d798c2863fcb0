import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { TABLE_KEYS } from '../aws/table-layout.js';
import { createDocumentClient } from '../aws/dynamo-document-client.js';

/*
 * An embedded DynamoDB-compatible server (dynalite) for local mode and tests. The Dynamo adapters
 * talk to it over HTTP exactly as they talk to AWS: only the endpoint and the dummy credentials differ.
 */

export interface EmbeddedDynamoOptions {
  /** LevelDB directory that keeps the data across restarts; in memory when absent. */
  readonly path?: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
}

export interface EmbeddedDynamo {
  /** e.g. `http://127.0.0.1:45123` */
  readonly endpoint: string;
  readonly port: number;
  /** A low-level client for this server; destroyed by close(). */
  createClient(): DynamoDBClient;
  /** A document client (the one the adapters take) for this server; destroyed by close(). */
  createDocumentClient(): DynamoDBDocumentClient;
  /** Stops the server, closes its connections and releases the LevelDB lock on `path`. */
  close(): Promise<void>;
}

const LOCAL_REGION = 'eu-central-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
const HOST = '127.0.0.1';

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const releaseDirectory = options.path ? await claimDataDirectory(options.path) : async () => {};
  // Table state changes are instant: nothing here waits for AWS-like provisioning delays.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await releaseDirectory();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${HOST}:${port}`;
  const clients: DynamoDBClient[] = [];

  const createClient = (): DynamoDBClient => {
    const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    clients.push(client);
    return client;
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of clients.splice(0)) client.destroy();
      await new Promise<void>((resolve, reject) => {
        // dynalite's close() stops the HTTP server, then closes LevelDB (which frees its LOCK file).
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await releaseDirectory();
    })();
    return closing;
  };

  return {
    endpoint,
    port,
    createClient,
    createDocumentClient: () => createDocumentClient(createClient()),
    close,
  };
}

/**
 * LevelDB allows one opener per directory, and dynalite reports a taken lock only by crashing on
 * the first request. A pid file turns that into a clear error at start; a dead owner's file is taken over.
 */
async function claimDataDirectory(path: string): Promise<() => Promise<void>> {
  await mkdir(path, { recursive: true });
  const pidFile = join(path, 'embedded-dynamodb.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(pidFile, String(process.pid), { flag: 'wx' });
      return () => unlink(pidFile).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new Error(`The DynamoDB data directory '${path}' is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}.`);
    }
    await unlink(pidFile).catch(() => undefined);
  }
  throw new Error(`Could not claim the DynamoDB data directory '${path}'.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The table exactly as the CDK stack declares it: pk/sk strings, GSI gsi1 (ALL), on-demand. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, gsi1Name, gsi1PartitionKey, gsi1SortKey } = TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, gsi1PartitionKey, gsi1SortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: gsi1Name,
        KeySchema: [
          { AttributeName: gsi1PartitionKey, KeyType: 'HASH' },
          { AttributeName: gsi1SortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

export interface EnsureTableOptions {
  /** How long to wait for the table to become ACTIVE. Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Creates the table if it is missing and waits until it (and its index) is ACTIVE. An existing
 * table with another key schema is refused rather than silently used.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, options: EnsureTableOptions = {}): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const table = await describe(client, tableName);
    if (table && isActive(table)) {
      checkKeySchema(table, tableName);
      return;
    }
    if (Date.now() > deadline) throw new Error(`Table '${tableName}' did not become ACTIVE in time.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function isActive(table: TableDescription): boolean {
  return table.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
}

function checkKeySchema(table: TableDescription, tableName: string): void {
  const wanted = tableDefinition(tableName);
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    JSON.stringify((schema ?? []).map((k) => [k.AttributeName, k.KeyType]));
  const wantedIndex = wanted.GlobalSecondaryIndexes?.[0];
  const index = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === wantedIndex?.IndexName);
  if (keys(table.KeySchema) !== keys(wanted.KeySchema) || !index || keys(index.KeySchema) !== keys(wantedIndex?.KeySchema)) {
    throw new Error(`Table '${tableName}' exists with a different key schema than this application uses.`);
  }
}
