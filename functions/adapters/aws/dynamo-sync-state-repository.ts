import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SyncState, SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo } from './dynamo-errors.js';
import { putVersioned } from './dynamo-versioned-put.js';
import { syncStateKey } from './table-layout.js';

/** Sync marks as items `SYNC#<purpose>#<subjectType>` / `SYNC`, moved by a conditional PutItem on the version. */
export class DynamoSyncStateRepository implements SyncStateRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async get(stream: SyncStreamId): Promise<SyncState | undefined> {
    const { Item } = await dynamo('GetItem', () =>
      this.#db.send(new GetCommand({ TableName: this.tableName, Key: syncStateKey(stream.purpose, stream.subjectType), ConsistentRead: true })),
    );
    return Item ? (withoutTableAttributes(Item) as unknown as SyncState) : undefined;
  }

  async advance(stream: SyncStreamId, mark: string, at: string, expectedVersion: number): Promise<SyncState> {
    const next: SyncState = { purpose: stream.purpose, subjectType: stream.subjectType, mark, updatedAt: at, version: expectedVersion + 1 };
    await putVersioned(this.#db, {
      tableName: this.tableName,
      item: { ...next, ...syncStateKey(stream.purpose, stream.subjectType) },
      expectedVersion,
      createAtVersionZero: true,
      readVersion: async () => (await this.get(stream))?.version,
    });
    return next;
  }
}
