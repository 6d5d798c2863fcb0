import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '../../domain/errors.js';
import type { SyncState, SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';
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
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...next, ...syncStateKey(stream.purpose, stream.subjectType) },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return next;
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
    }
    const stored = await this.get(stream);
    throw new VersionConflictError(expectedVersion, stored?.version ?? null);
  }
}
