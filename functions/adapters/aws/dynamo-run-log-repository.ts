import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, RunNotInProcessError, ValidationError } from '../../domain/errors.js';
import type { RunLogEntry } from '../../domain/job-queue-entry.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Page, RunLogRepository } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import {
  checkRetentionDays,
  checkRunPageLimit,
  decodeRunCursor,
  encodeRunCursor,
  isExpired,
  runExpiresAtEpoch,
  type RunLogRetentionOptions,
} from './run-log-rules.js';
import { entryKey, runKey, TABLE_KEYS } from './table-layout.js';

export interface DynamoRunLogRepositoryOptions extends RunLogRetentionOptions {
  /** Decides which rows are expired; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Run-log rows as items `QUEUE#<codeUnit>` / `RUN#<runId>`; run ids sort by start time, so a
 * backwards Query is the log newest first. Each row carries `ttl` (start + retention) for AWS TTL,
 * and readers hide expired rows themselves, since TTL deletion is late on AWS and absent locally.
 */
export class DynamoRunLogRepository implements RunLogRepository {
  readonly #db: DynamoDBDocumentClient;
  readonly #clock: Clock;
  readonly #retentionDays: number;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
    options: DynamoRunLogRepositoryOptions = {},
  ) {
    this.#db = asDocumentClient(client);
    this.#clock = options.clock ?? systemClock;
    this.#retentionDays = checkRetentionDays(options.retentionDays);
  }

  async start(row: RunLogEntry): Promise<void> {
    if (await putIfAbsent(this.#db, this.tableName, this.#toItem(row))) return;
    const existing = await this.#read(row.codeUnit, row.runId);
    throw new EntryAlreadyExistsError<RunLogEntry | undefined>(existing && toRow(existing));
  }

  async complete(row: RunLogEntry): Promise<RunLogEntry> {
    if (row.status === 'InProcess') {
      throw new ValidationError([{ field: 'status', reason: 'a completed run cannot be InProcess' }]);
    }
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.#toItem(row),
          ConditionExpression: '#status = :inProcess',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProcess': 'InProcess' },
        }),
      );
      return structuredClone(row);
    } catch (error) {
      if (!isConditionFailed(error)) throw toStorageError(error, 'PutItem');
    }
    const stored = await this.#read(row.codeUnit, row.runId);
    const storedRow = stored && toRow(stored);
    throw new RunNotInProcessError<RunLogEntry>(row.runId, storedRow, storedRow?.status ?? null);
  }

  async get(codeUnit: CodeUnitId, runId: string): Promise<RunLogEntry | undefined> {
    const item = await this.#read(codeUnit, runId);
    if (!item || isExpired(ttlOf(item), this.#clock.now())) return undefined;
    return toRow(item);
  }

  async list(codeUnit: CodeUnitId, options: { limit: number; cursor?: string | null }): Promise<Page<RunLogEntry>> {
    const limit = checkRunPageLimit(options.limit);
    const after = options.cursor == null ? null : decodeRunCursor(codeUnit, options.cursor);
    const nowEpoch = Math.floor(this.#clock.now().getTime() / 1000);
    const collected: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined = after === null ? undefined : runKey(codeUnit, after);
    // One row more than asked tells whether another page exists; the filter may thin a page
    // (Limit counts rows before filtering), so keep reading until we have enough or run out.
    do {
      const exclusiveStartKey = startKey;
      const result = await dynamo('Query', () =>
        this.#db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
            FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
            ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute },
            ExpressionAttributeValues: { ':pk': entryKey(codeUnit).pk, ':run': runKey(codeUnit, '').sk, ':now': nowEpoch },
            ScanIndexForward: false,
            ConsistentRead: true,
            // Not shrunk on later rounds: a long stretch of expired rows must not cost one request per row.
            Limit: limit + 1,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      collected.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (collected.length <= limit && startKey !== undefined);

    const items = collected.slice(0, limit).map(toRow);
    const last = items.at(-1);
    return { items, nextCursor: collected.length > limit && last ? encodeRunCursor(codeUnit, last.runId) : null };
  }

  async #read(codeUnit: string, runId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo('GetItem', () =>
      this.#db.send(new GetCommand({ TableName: this.tableName, Key: runKey(codeUnit, runId), ConsistentRead: true })),
    );
    return Item;
  }

  #toItem(row: RunLogEntry): Record<string, unknown> {
    return { ...row, ...runKey(row.codeUnit, row.runId), [TABLE_KEYS.ttlAttribute]: runExpiresAtEpoch(row.startedAt, this.#retentionDays) };
  }
}

function ttlOf(item: Record<string, unknown>): number | undefined {
  const ttl = item[TABLE_KEYS.ttlAttribute];
  return typeof ttl === 'number' ? ttl : undefined;
}

function toRow(item: Record<string, unknown>): RunLogEntry {
  return withoutTableAttributes(item) as unknown as RunLogEntry;
}
