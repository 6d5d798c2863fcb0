import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { isSessionFinished, type KsefSessionRecord, type KsefSessionRepository } from '../../ports/ksef-session-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { putVersioned, queryAll } from './dynamo-versioned-put.js';
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
    if (await putIfAbsent(this.#db, this.tableName, toItem(written))) return structuredClone(written);
    throw new ConflictError<KsefSessionRecord>(`KSeF session '${record.id}' is already recorded.`, await this.get(record.id));
  }

  async get(id: string): Promise<KsefSessionRecord | undefined> {
    const item = await getItem(this.#db, this.tableName, ksefSessionKey(id));
    return item ? toRecord(item) : undefined;
  }

  async update(next: KsefSessionRecord, expectedVersion: number): Promise<KsefSessionRecord> {
    const written = { ...next, version: expectedVersion + 1 };
    await putVersioned(this.#db, { tableName: this.tableName, item: toItem(written), expectedVersion, readVersion: async () => (await this.get(next.id))?.version });
    return structuredClone(written);
  }

  async listUnfinished(): Promise<KsefSessionRecord[]> {
    const items = await queryAll(this.#db, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi1Name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1PartitionKey },
      ExpressionAttributeValues: { ':pk': KSEF_SESSION_UNFINISHED_PK },
    });
    // GSI reads are eventually consistent on AWS: a record finished a moment ago may still show.
    return items.map(toRecord).filter((record) => !isSessionFinished(record));
  }
}
