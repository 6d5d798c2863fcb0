import type { LedgerRow } from '../../domain/documents.js';
import type { LedgerListQuery, LedgerRepository } from '../../ports/ledger-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { inWindow, listingSortKey, listingWindow, pageOf } from '../aws/document-list-rules.js';

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
    const window = listingWindow('ledger', query);
    const sorted = [...this.#rows.values()].filter((row) => inWindow(sortKeyOf(row), window)).sort((a, b) => (sortKeyOf(a) < sortKeyOf(b) ? -1 : 1));
    const page = pageOf(sorted, window, 'ledger', sortKeyOf);
    return { items: page.items.map((row) => structuredClone(row)), nextCursor: page.nextCursor };
  }
}
