import type { LedgerRow } from '../domain/documents.js';
import type { Page } from './run-log-repository.js';

export interface LedgerListQuery {
  /** Inclusive issue-date range, YYYY-MM-DD. */
  readonly issuedFrom?: string;
  readonly issuedTo?: string;
  readonly limit: number;
  readonly cursor?: string | null;
}

/**
 * The KSeF ledger: one row per KSeF number. A row is a projection that update-ledgers recomputes,
 * so `put` replaces the row whole (idempotent); `list` orders by issue date, then KSeF number.
 */
export interface LedgerRepository {
  put(row: LedgerRow): Promise<void>;
  get(ksefNumber: string): Promise<LedgerRow | undefined>;
  list(query: LedgerListQuery): Promise<Page<LedgerRow>>;
}
