import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoEntryRepository } from '../../functions/adapters/aws/dynamo-entry-repository.js';
import { DynamoRunLogRepository } from '../../functions/adapters/aws/dynamo-run-log-repository.js';
import { entryKey, runKey } from '../../functions/adapters/aws/table-layout.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { StorageError } from '../../functions/domain/errors.js';
import { makeEntry } from '../helpers/entry-factory.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { makeRunLogEntry } from '../helpers/run-log-factory.js';

let server: EmbeddedDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  server = await startEmbeddedDynamo();
  client = server.createClient();
  await ensureTable(client, 'jobs');
});

afterAll(async () => {
  await server?.close();
});

describe('the Dynamo repositories on the single table', () => {
  it('store an entry under its table-layout key and hand it back without key attributes', async () => {
    // Prepare
    const entry = makeEntry({ codeUnit: 'process-sessions', id: 'layout' });
    const repository = new DynamoEntryRepository(server.createDocumentClient(), 'jobs');
    // Act
    await repository.create(entry);
    const raw = await server.createDocumentClient().send(new GetCommand({ TableName: 'jobs', Key: entryKey('process-sessions') }));
    const read = await repository.get('process-sessions');
    // Assess
    expect(raw.Item).toMatchObject({ pk: 'QUEUE#process-sessions', sk: 'ENTRY', version: 1 });
    expect(read).toStrictEqual(entry);
  });

  it('give a run-log row a TTL of its start plus the retention period, in epoch seconds', async () => {
    // Prepare
    const row = makeRunLogEntry({ codeUnit: 'process-upo', startedAt: '2026-01-10T10:00:00.000Z', runId: '20260110T100000000Z-0000abcd' });
    const repository = new DynamoRunLogRepository(client, 'jobs', { retentionDays: 30, clock: new ManualClock('2026-01-10T10:00:01.000Z') });
    // Act
    await repository.start(row);
    const raw = await server.createDocumentClient().send(new GetCommand({ TableName: 'jobs', Key: runKey('process-upo', row.runId) }));
    // Assess
    expect(raw.Item).toMatchObject({ pk: 'QUEUE#process-upo', sk: `RUN#${row.runId}`, ttl: Date.parse('2026-02-09T10:00:00.000Z') / 1000 });
    expect(await repository.get('process-upo', row.runId)).toStrictEqual(row);
  });

  it('report a failing table as a StorageError that keeps the SDK error as its cause', async () => {
    // Prepare
    const entries = new DynamoEntryRepository(client, 'no-such-table');
    const runs = new DynamoRunLogRepository(client, 'no-such-table');
    // Act
    const failures = await Promise.all([
      entries.get('send-documents').catch((error: unknown) => error),
      entries.create(makeEntry()).catch((error: unknown) => error),
      entries.list().catch((error: unknown) => error),
      runs.start(makeRunLogEntry()).catch((error: unknown) => error),
      runs.list('send-documents', { limit: 5 }).catch((error: unknown) => error),
    ]);
    // Assess
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(StorageError);
      expect((failure as StorageError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    }
  });
});
