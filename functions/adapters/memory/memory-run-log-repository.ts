import type { CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, RunNotInProcessError, ValidationError } from '../../domain/errors.js';
import type { RunLogEntry } from '../../domain/job-queue-entry.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Page, RunLogRepository } from '../../ports/run-log-repository.js';
import {
  checkRetentionDays,
  checkRunPageLimit,
  decodeRunCursor,
  encodeRunCursor,
  isExpired,
  runExpiresAtEpoch,
  type RunLogRetentionOptions,
} from '../aws/run-log-rules.js';

interface StoredRow {
  readonly row: RunLogEntry;
  readonly expiresAtEpoch: number;
}

export interface MemoryRunLogRepositoryOptions extends RunLogRetentionOptions {
  /** Decides which rows are expired; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * The run log in a Map, with the same rules as DynamoRunLogRepository: create-once rows,
 * completion only while InProcess, newest-first pages with the same cursor format, and rows
 * past their retention hidden from readers. Values are cloned on the way in and out.
 */
export class MemoryRunLogRepository implements RunLogRepository {
  readonly #rows = new Map<string, StoredRow>();
  readonly #clock: Clock;
  readonly #retentionDays: number;

  constructor(options: MemoryRunLogRepositoryOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#retentionDays = checkRetentionDays(options.retentionDays);
  }

  async start(row: RunLogEntry): Promise<void> {
    const key = rowKey(row.codeUnit, row.runId);
    const existing = this.#rows.get(key);
    if (existing) throw new EntryAlreadyExistsError<RunLogEntry>(structuredClone(existing.row));
    this.#rows.set(key, this.#toStored(row));
  }

  async complete(row: RunLogEntry): Promise<RunLogEntry> {
    if (row.status === 'InProcess') {
      throw new ValidationError([{ field: 'status', reason: 'a completed run cannot be InProcess' }]);
    }
    const key = rowKey(row.codeUnit, row.runId);
    const stored = this.#rows.get(key);
    if (!stored || stored.row.status !== 'InProcess') {
      throw new RunNotInProcessError<RunLogEntry>(row.runId, stored && structuredClone(stored.row), stored?.row.status ?? null);
    }
    this.#rows.set(key, this.#toStored(row));
    return structuredClone(row);
  }

  async get(codeUnit: CodeUnitId, runId: string): Promise<RunLogEntry | undefined> {
    const stored = this.#rows.get(rowKey(codeUnit, runId));
    if (!stored || isExpired(stored.expiresAtEpoch, this.#clock.now())) return undefined;
    return structuredClone(stored.row);
  }

  async list(codeUnit: CodeUnitId, options: { limit: number; cursor?: string | null }): Promise<Page<RunLogEntry>> {
    const limit = checkRunPageLimit(options.limit);
    const after = options.cursor == null ? null : decodeRunCursor(codeUnit, options.cursor);
    const now = this.#clock.now();
    const visible = [...this.#rows.values()]
      .filter((s) => s.row.codeUnit === codeUnit && !isExpired(s.expiresAtEpoch, now))
      .map((s) => s.row)
      .filter((row) => after === null || row.runId < after)
      .sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    const items = visible.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = visible.length > limit && last ? encodeRunCursor(codeUnit, last.runId) : null;
    return { items: items.map((row) => structuredClone(row)), nextCursor };
  }

  #toStored(row: RunLogEntry): StoredRow {
    return { row: structuredClone(row), expiresAtEpoch: runExpiresAtEpoch(row.startedAt, this.#retentionDays) };
  }
}

const rowKey = (codeUnit: string, runId: string) => `${codeUnit}\u0000${runId}`;
