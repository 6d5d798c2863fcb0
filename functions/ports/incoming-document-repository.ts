import type { IncomingDocument } from '../domain/documents.js';
import type { Page } from './run-log-repository.js';

export interface IncomingListQuery {
  /** Inclusive issue-date (P_1) range, YYYY-MM-DD. */
  readonly issuedFrom?: string;
  readonly issuedTo?: string;
  readonly limit: number;
  readonly cursor?: string | null;
}

/**
 * Purchase invoices, one per KSeF number. `add` is idempotent: a KSeF number already stored is
 * left as it is and reported with `added: false` (a second sync adds nothing).
 * `list` orders by issue date, then KSeF number.
 */
export interface IncomingDocumentRepository {
  add(document: IncomingDocument): Promise<{ readonly document: IncomingDocument; readonly added: boolean }>;
  get(ksefNumber: string): Promise<IncomingDocument | undefined>;
  list(query: IncomingListQuery): Promise<Page<IncomingDocument>>;
}
