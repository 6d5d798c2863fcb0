import type { InvoiceMetadataQuery, KsefInvoiceMetadata } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { must } from '../http/ksef-api.js';

const DATE_FIELD = { Issue: 'issueDate', Invoicing: 'invoicingDate', PermanentStorage: 'permanentStorageDate' } as const;

/**
 * POST /invoices/query/metadata over all pages (README §8.1): `hasMore` → next page; `isTruncated`
 * (10,000 records per filter) → move `from` to the last record's date and start again at page 0.
 * Records on the boundary come twice and are de-duplicated by KSeF number.
 */
export async function queryInvoiceMetadata(ctx: ClientContext, query: InvoiceMetadataQuery, signal?: AbortSignal): Promise<KsefInvoiceMetadata[]> {
  const seen = new Map<string, KsefInvoiceMetadata>();
  const limit = query.maxRecords ?? Number.POSITIVE_INFINITY;
  let from = query.from;
  let pageOffset = 0;
  for (;;) {
    const page = await ctx.auth.authorized(async (headers) => {
      const { data } = await ctx.api.POST('/invoices/query/metadata', {
        params: { query: { pageOffset, pageSize: 250, sortOrder: 'Asc' } },
        headers,
        body: { subjectType: query.subjectType, dateRange: { dateType: query.dateType, from, ...(query.to ? { to: query.to } : {}) } },
        signal,
      });
      return must(data, 'POST /invoices/query/metadata');
    }, signal);
    for (const invoice of page.invoices) {
      if (seen.size >= limit) return [...seen.values()];
      seen.set(invoice.ksefNumber, invoice);
    }
    // A truncated result always has more behind it, whatever `hasMore` says about this window.
    if ((!page.hasMore && !page.isTruncated) || seen.size >= limit) return [...seen.values()];
    const last = page.invoices.at(-1);
    if (page.isTruncated && last) {
      const next = last[DATE_FIELD[query.dateType]];
      // Moving `from` must make progress, or 10,000 records share one timestamp and paging cannot continue.
      if (next === from) throw new Error(`metadata query stuck: more than 10,000 invoices at ${from}`);
      from = next;
      pageOffset = 0;
    } else {
      pageOffset++;
    }
  }
}
