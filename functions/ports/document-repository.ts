import type { DocumentBusinessKey, DocumentStatus, OutgoingDocument } from '../domain/documents.js';
import type { Page } from './run-log-repository.js';

export interface DocumentListQuery {
  readonly status?: DocumentStatus;
  /** Inclusive issue-date (P_1) range, YYYY-MM-DD. */
  readonly issuedFrom?: string;
  readonly issuedTo?: string;
  /** 1 … 100 */
  readonly limit: number;
  /** From the previous page; a malformed one, or one of another listing, throws ValidationError. */
  readonly cursor?: string | null;
}

/** How many documents are in one status, and the first of them in sending order (issue date, then id). */
export interface StatusSummary {
  readonly count: number;
  readonly first: OutgoingDocument | undefined;
}

export interface CreatedDocument {
  readonly document: OutgoingDocument;
  /** False when the business key already held a document with the same content: that one is returned. */
  readonly created: boolean;
}

/**
 * Outgoing documents, unique by business key (seller NIP, invoice type, invoice number).
 * - `create` stores a new document (version 1). If the key is taken by the same content
 *   (`contentSha256`) it returns the stored document with `created: false`; by different content
 *   it throws ConflictError carrying the stored document. Concurrent creates of one key yield one
 *   document; a create interrupted half-way is completed by the next create of the same key.
 * - `update` stores `next` with version `expectedVersion + 1`, or throws VersionConflictError.
 * - `list` orders by issue date, then id (oldest first), the order the sender works in.
 * - `summarize` counts the documents in one status and returns the first in that order; it reads
 *   only that status (meant for the working statuses, whose sets stay small).
 */
export interface DocumentRepository {
  create(document: OutgoingDocument): Promise<CreatedDocument>;
  get(id: string): Promise<OutgoingDocument | undefined>;
  findByKey(key: DocumentBusinessKey): Promise<OutgoingDocument | undefined>;
  update(next: OutgoingDocument, expectedVersion: number): Promise<OutgoingDocument>;
  list(query: DocumentListQuery): Promise<Page<OutgoingDocument>>;
  summarize(status: DocumentStatus): Promise<StatusSummary>;
}
