import { historyWithEvents, needsHistoryEvents } from '../domain/documents.js';
import type { DocumentHistoryStore } from '../ports/document-history-store.js';

/*
 * The history migration: gives every history entry stored before events existed its event
 * (domain/documents/legacy-history.ts), in storage. Nothing waits for it: the document repository
 * gives such entries the same events on every read. It exists so that stored data says what it
 * means without the old words being read, and so that the reading of old words can one day go.
 *
 * Idempotent (an entry that has its event is left alone; a second walk writes nothing) and
 * resumable (a page at a time; each page returns the cursor of the next, null when done). A write
 * is conditional on the version read and keeps it (DocumentHistoryStore), so it never gets in the
 * way of the code units; a document written meanwhile was written with its events by its writer.
 * README ("Migrating document history") says how an operator runs it, locally and on AWS.
 */

export const HISTORY_MIGRATION_PAGE_SIZE = 100;

export interface HistoryMigrationDeps {
  readonly histories: DocumentHistoryStore;
}

export interface HistoryMigrationProgress {
  /** Documents read. */
  readonly documents: number;
  /** Documents whose old entries were given their events. */
  readonly migrated: number;
  /** Documents another writer wrote between the read and the write: its write carried the events. */
  readonly writtenMeanwhile: number;
  /** Where the next page starts; null when every document was read. */
  readonly cursor: string | null;
}

export async function migrateHistoryPage(
  deps: HistoryMigrationDeps,
  page: { readonly cursor: string | null; readonly limit?: number },
): Promise<HistoryMigrationProgress> {
  const { items, cursor } = await deps.histories.listStoredHistories({ limit: page.limit ?? HISTORY_MIGRATION_PAGE_SIZE, cursor: page.cursor });
  let migrated = 0;
  let writtenMeanwhile = 0;
  for (const stored of items) {
    if (!needsHistoryEvents(stored.history)) continue;
    if (await deps.histories.writeHistory(stored.id, stored.version, historyWithEvents(stored.history))) migrated++;
    else writtenMeanwhile++;
  }
  return { documents: items.length, migrated, writtenMeanwhile, cursor };
}

/**
 * Pages from `cursor` (null: the start) until the walk is done or `maxPages` pages were done;
 * `onPage` hears of each page (with the cursor to resume from). Returns the totals and the cursor
 * to go on from, null when done.
 */
export async function migrateHistory(
  deps: HistoryMigrationDeps,
  options: {
    readonly cursor?: string | null;
    readonly limit?: number;
    readonly maxPages?: number;
    readonly onPage?: (page: HistoryMigrationProgress) => void;
  } = {},
): Promise<HistoryMigrationProgress> {
  let total: HistoryMigrationProgress = { documents: 0, migrated: 0, writtenMeanwhile: 0, cursor: options.cursor ?? null };
  for (let pages = 0; pages < (options.maxPages ?? Number.POSITIVE_INFINITY); pages++) {
    const page = await migrateHistoryPage(deps, { cursor: total.cursor, ...(options.limit === undefined ? {} : { limit: options.limit }) });
    options.onPage?.(page);
    total = {
      documents: total.documents + page.documents,
      migrated: total.migrated + page.migrated,
      writtenMeanwhile: total.writtenMeanwhile + page.writtenMeanwhile,
      cursor: page.cursor,
    };
    if (page.cursor === null) break;
  }
  return total;
}
