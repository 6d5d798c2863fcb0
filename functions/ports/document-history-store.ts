import type { StatusChange, StoredStatusChange } from '../domain/documents.js';

/** One stored document's history exactly as stored: entries written before events existed have no event. */
export interface StoredHistory {
  readonly id: string;
  readonly version: number;
  readonly history: readonly StoredStatusChange[];
}

export interface StoredHistoryPage {
  readonly items: readonly StoredHistory[];
  /** Pass it back for the next page; null when the walk is done. Opaque; a malformed one throws ValidationError. */
  readonly cursor: string | null;
}

/**
 * The stored histories of outgoing documents, for the history migration only
 * (use-cases/migrate-document-history.ts); everything else reads documents through the
 * DocumentRepository, which gives old entries their events on every read.
 * - `listStoredHistories` walks every stored document once, a page at a time, in storage order; a
 *   page may hold fewer than `limit` documents (even none) before the walk is done.
 * - `writeHistory` replaces a document's history if its version is still `version`, and keeps the
 *   version: giving old entries their events changes nothing a reader sees, so a writer that read
 *   the document before must not lose its conditional write to it. False when the version moved.
 */
export interface DocumentHistoryStore {
  listStoredHistories(page: { readonly limit: number; readonly cursor: string | null }): Promise<StoredHistoryPage>;
  writeHistory(id: string, version: number, history: readonly StatusChange[]): Promise<boolean>;
}
