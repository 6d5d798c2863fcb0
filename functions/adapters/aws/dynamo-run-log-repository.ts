import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, RunNotInProcessError, ValidationError } from '../../domain/errors.js';
import type { RunLogEntry } from '../../domain/job-queue-entry.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Page, RunLogRepository } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { isConditionFailed, toStorageError } from './dynamo-errors.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { queryUnexpiredPage } from './dynamo-unexpired-page.js';
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
    const { rows, hasMore } = await queryUnexpiredPage(
      this.#db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': entryKey(codeUnit).pk, ':run': runKey(codeUnit, '').sk },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      { limit, startKey: after === null ? undefined : runKey(codeUnit, after), now: this.#clock.now() },
    );
    const items = rows.map(toRow);
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last ? encodeRunCursor(codeUnit, last.runId) : null };
  }

  async #read(codeUnit: string, runId: string): Promise<Record<string, unknown> | undefined> {
    return getItem(this.#db, this.tableName, runKey(codeUnit, runId));
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
