import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, VersionConflictError } from '../../domain/errors.js';
import { isSessionFinished, type KsefSessionRecord, type KsefSessionRepository } from '../../ports/ksef-session-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';
import { KSEF_SESSION_UNFINISHED_PK, ksefSessionIndexKey, ksefSessionKey, TABLE_KEYS } from './table-layout.js';

const toItem = (record: KsefSessionRecord) => ({
  ...record,
  ...ksefSessionKey(record.id),
  ...(isSessionFinished(record) ? {} : ksefSessionIndexKey(record.openedAt, record.id)),
});
const toRecord = (item: Record<string, unknown>) => withoutTableAttributes(item) as unknown as KsefSessionRecord;

/** KSeF session records as items `KSEFSESSION#<id>`; unfinished ones are listed from a sparse GSI1 partition. */
export class DynamoKsefSessionRepository implements KsefSessionRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async create(record: KsefSessionRecord): Promise<KsefSessionRecord> {
    const written = { ...record, version: 1 };
    try {
      await this.#db.send(new PutCommand({ TableName: this.tableName, Item: toItem(written), ConditionExpression: 'attribute_not_exists(pk)' }));
      return structuredClone(written);
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
    }
    throw new ConflictError<KsefSessionRecord>(`KSeF session '${record.id}' is already recorded.`, await this.get(record.id));
  }

  async get(id: string): Promise<KsefSessionRecord | undefined> {
    const { Item } = await dynamo('GetItem', () => this.#db.send(new GetCommand({ TableName: this.tableName, Key: ksefSessionKey(id), ConsistentRead: true })));
    return Item ? toRecord(Item) : undefined;
  }

  async update(next: KsefSessionRecord, expectedVersion: number): Promise<KsefSessionRecord> {
    const written = { ...next, version: expectedVersion + 1 };
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(written),
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return structuredClone(written);
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
    }
    throw new VersionConflictError(expectedVersion, (await this.get(next.id))?.version ?? null);
  }

  async listUnfinished(): Promise<KsefSessionRecord[]> {
    const found: KsefSessionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const exclusiveStartKey = startKey;
      const result = await dynamo('Query', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: TABLE_KEYS.gsi1Name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1PartitionKey },
            ExpressionAttributeValues: { ':pk': KSEF_SESSION_UNFINISHED_PK },
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      // GSI reads are eventually consistent on AWS: a record finished a moment ago may still show.
      found.push(...(result.Items ?? []).map(toRecord).filter((record) => !isSessionFinished(record)));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return found;
  }
}
