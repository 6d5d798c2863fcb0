import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SyncState, SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { getItem } from './dynamo-get-item.js';
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
    const item = await getItem(this.#db, this.tableName, syncStateKey(stream.purpose, stream.subjectType));
    return item ? (withoutTableAttributes(item) as unknown as SyncState) : undefined;
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
