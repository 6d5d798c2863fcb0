import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CODE_UNIT_IDS, type CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, StorageError, VersionConflictError } from '../../domain/errors.js';
import type { JobQueueEntry } from '../../domain/job-queue-entry.js';
import type { EntryRepository } from '../../ports/entry-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { entryKey } from './table-layout.js';

/** A create that lost to a delete this many times in a row gives up (it never happens in practice). */
const CREATE_ATTEMPTS = 3;
const BATCH_GET_ROUNDS = 5;

/**
 * Job queue entries as items `QUEUE#<codeUnit>` / `ENTRY`. Every write is a single conditional
 * PutItem/DeleteItem (no transactions: the embedded server has none); a lost condition is answered
 * by a consistent read of what is stored, because ReturnValuesOnConditionCheckFailure is not
 * available everywhere.
 */
export class DynamoEntryRepository implements EntryRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async get(codeUnit: CodeUnitId): Promise<JobQueueEntry | undefined> {
    const item = await getItem(this.#db, this.tableName, entryKey(codeUnit));
    return item ? toEntry(item) : undefined;
  }

  /** There are only five possible keys, so one consistent BatchGetItem beats scanning the table. */
  async list(): Promise<JobQueueEntry[]> {
    const found = new Map<string, JobQueueEntry>();
    let keys: Record<string, unknown>[] = CODE_UNIT_IDS.map((id) => entryKey(id));
    for (let round = 0; keys.length > 0; round++) {
      if (round === BATCH_GET_ROUNDS) throw new StorageError('DynamoDB BatchGetItem kept leaving keys unprocessed.');
      const pending = keys;
      const result = await dynamo('BatchGetItem', () =>
        this.#db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const entry = toEntry(item);
        found.set(entry.codeUnit, entry);
      }
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
    }
    return CODE_UNIT_IDS.flatMap((id) => found.get(id) ?? []);
  }

  async create(entry: JobQueueEntry): Promise<JobQueueEntry> {
    for (let attempt = 1; ; attempt++) {
      if (await putIfAbsent(this.#db, this.tableName, { ...entry, ...entryKey(entry.codeUnit) })) return structuredClone(entry);
      const existing = await this.get(entry.codeUnit);
      if (existing) throw new EntryAlreadyExistsError<JobQueueEntry>(existing);
      // The blocking entry was deleted between our write and our read: try again.
      if (attempt === CREATE_ATTEMPTS) throw new StorageError(`Could not create the entry for '${entry.codeUnit}': it kept changing.`);
    }
  }

  async update(next: JobQueueEntry, expectedVersion: number): Promise<JobQueueEntry> {
    const written: JobQueueEntry = { ...next, version: expectedVersion + 1 };
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...written, ...entryKey(next.codeUnit) },
          // The id guards against an old writer overwriting a deleted and re-created entry at the same version.
          ConditionExpression: '#version = :expected AND #id = :id',
          ExpressionAttributeNames: { '#version': 'version', '#id': 'id' },
          ExpressionAttributeValues: { ':expected': expectedVersion, ':id': next.id },
        }),
      );
      return structuredClone(written);
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
    }
    throw new VersionConflictError(expectedVersion, (await this.get(next.codeUnit))?.version ?? null);
  }

  async delete(codeUnit: CodeUnitId, expectedVersion: number): Promise<void> {
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: entryKey(codeUnit),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'DeleteItem');
    }
    throw new VersionConflictError(expectedVersion, (await this.get(codeUnit))?.version ?? null);
  }
}

function toEntry(item: Record<string, unknown>): JobQueueEntry {
  return withoutTableAttributes(item) as unknown as JobQueueEntry;
}
