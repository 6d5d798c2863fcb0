import type { LedgerRow } from '../../domain/documents.js';
import type { LedgerListQuery, LedgerRepository } from '../../ports/ledger-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { listingSortKey } from '../aws/document-list-rules.js';
import { pageInMemory } from './memory-listing.js';

const sortKeyOf = (row: LedgerRow) => listingSortKey(row.issueDate, row.ksefNumber);

/** Ledger rows in a Map, with the rules of DynamoLedgerRepository. */
export class MemoryLedgerRepository implements LedgerRepository {
  readonly #rows = new Map<string, LedgerRow>();

  async put(row: LedgerRow): Promise<void> {
    this.#rows.set(row.ksefNumber, structuredClone(row));
  }

  async get(ksefNumber: string): Promise<LedgerRow | undefined> {
    const stored = this.#rows.get(ksefNumber);
    return stored && structuredClone(stored);
  }

  async list(query: LedgerListQuery): Promise<Page<LedgerRow>> {
    return pageInMemory([...this.#rows.values()], 'ledger', query, sortKeyOf);
  }
}
