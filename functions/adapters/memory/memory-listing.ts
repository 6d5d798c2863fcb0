import type { Page } from '../../ports/run-log-repository.js';
import { inWindow, listingWindow, pageOf, type ListingScope } from '../aws/document-list-rules.js';

/**
 * One page of a document listing held in memory, cut by the same window, order and cursor as the
 * Dynamo listings (document-list-rules.ts), so that both adapters page alike. Items are cloned out.
 */
export function pageInMemory<T>(
  items: readonly T[],
  scope: ListingScope,
  query: Parameters<typeof listingWindow>[1],
  sortKeyOf: (item: T) => string,
): Page<T> {
  const window = listingWindow(scope, query);
  const sorted = items.filter((item) => inWindow(sortKeyOf(item), window)).sort((a, b) => (sortKeyOf(a) < sortKeyOf(b) ? -1 : 1));
  const page = pageOf(sorted, window, scope, sortKeyOf);
  return { items: page.items.map((item) => structuredClone(item)), nextCursor: page.nextCursor };
}
