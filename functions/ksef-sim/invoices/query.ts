import type { SimContext } from '../context.js';
import { badRequest } from '../http/api-error.js';
import type { StoredInvoice } from '../state.js';
import { INVOICE_TYPES } from './fa3-facts.js';

export interface QueryFilters {
  subjectType?: 'Subject1' | 'Subject2' | 'Subject3' | 'SubjectAuthorized';
  dateRange?: { dateType?: 'Issue' | 'Invoicing' | 'PermanentStorage'; from?: string; to?: string | null; restrictToPermanentStorageHwmDate?: boolean | null };
  ksefNumber?: string | null;
  invoiceNumber?: string | null;
  sellerNip?: string | null;
  invoiceTypes?: string[] | null;
  currencyCodes?: string[] | null;
  invoicingMode?: 'Online' | 'Offline' | null;
  amount?: { type: 'Brutto' | 'Netto' | 'Vat'; from?: number | null; to?: number | null } | null;
  hasAttachment?: boolean | null;
}

const MAX_RANGE_MS = 92 * 86_400_000;

/** The date an invoice is filtered and sorted by, in ms. */
export function dateOf(invoice: StoredInvoice, dateType: string): number {
  if (dateType === 'Issue') return Date.parse(`${invoice.facts.issueDate}T00:00:00Z`);
  if (dateType === 'Invoicing') return invoice.invoicingDate.getTime();
  return invoice.permanentStorageDate.getTime();
}

/** Permanently stored by `now`: only then is an invoice in query results and exports (KSeF stores asynchronously). */
export function isStored(invoice: StoredInvoice, now: number): boolean {
  return invoice.acquisitionDate.getTime() <= now && invoice.permanentStorageDate.getTime() <= now;
}

/**
 * KSeF's high-water mark (`permanentStorageHwmDate`): the moment up to which every invoice is
 * permanently stored, so that nothing dated at or before it can still turn up. An invoice that has
 * its KSeF number but is not stored yet holds the mark just before its acquisition (KSeF gives no
 * storage date before it stores); with none in flight the mark is now. Never past `upTo` (the
 * query's `to`). It is one mark for the whole system, as in KSeF, not one per context.
 */
export function highWaterMark(ctx: SimContext, upTo?: number): Date {
  const now = ctx.clock.now().getTime();
  let mark = upTo === undefined || Number.isNaN(upTo) ? now : Math.min(now, upTo);
  for (const invoice of ctx.state.invoicesByKsefNumber.values()) {
    const acquired = invoice.acquisitionDate.getTime();
    if (acquired <= now && !isStored(invoice, now)) mark = Math.min(mark, acquired - 1);
  }
  return new Date(mark);
}

/** Filters a context's invoices for a subject type, sorted by the chosen date. */
export function queryInvoices(ctx: SimContext, contextNip: string, filters: QueryFilters, order: 'Asc' | 'Desc'): StoredInvoice[] {
  const range = filters.dateRange;
  if (!filters.subjectType || !range?.dateType || !range.from) throw badRequest('inputValidation', "Pola 'subjectType' i 'dateRange' (dateType, from) są wymagane.");
  const from = Date.parse(range.from);
  const now = ctx.clock.now().getTime();
  let to = range.to ? Date.parse(range.to) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) throw badRequest('inputValidation', "Pola 'dateRange.from' i 'dateRange.to' muszą być datami ISO-8601.");
  if (to - from > MAX_RANGE_MS) throw badRequest('inputValidation', 'Zakres dat może obejmować najwyżej 3 miesiące.');
  if (range.restrictToPermanentStorageHwmDate && range.dateType === 'PermanentStorage') to = highWaterMark(ctx, to).getTime();
  const source =
    filters.subjectType === 'Subject1' ? ctx.state.invoicesBySeller.get(contextNip)
    : filters.subjectType === 'Subject2' ? ctx.state.invoicesByBuyer.get(contextNip)
    : filters.subjectType === 'Subject3' ? ctx.state.invoicesByThirdSubject.get(contextNip)
    : [];
  const types = filters.invoiceTypes ? new Set(filters.invoiceTypes) : null;
  const amountOf = (i: StoredInvoice) => (filters.amount?.type === 'Netto' ? i.facts.netAmount : filters.amount?.type === 'Vat' ? i.facts.vatAmount : i.facts.grossAmount);
  const found = (source ?? []).filter((i) => {
    if (!isStored(i, now)) return false;
    const d = dateOf(i, range.dateType as string);
    if (d < from || d > to) return false;
    if (filters.ksefNumber && i.ksefNumber !== filters.ksefNumber) return false;
    if (filters.invoiceNumber && i.facts.invoiceNumber !== filters.invoiceNumber) return false;
    if (filters.sellerNip && i.facts.sellerNip !== filters.sellerNip) return false;
    if (types && !types.has(INVOICE_TYPES[i.facts.invoiceTypeCode] ?? 'Vat')) return false;
    if (filters.currencyCodes && !filters.currencyCodes.includes(i.facts.currency)) return false;
    if (filters.invoicingMode && i.invoicingMode !== filters.invoicingMode) return false;
    if (filters.hasAttachment != null && i.facts.hasAttachment !== filters.hasAttachment) return false;
    if (filters.amount?.from != null && amountOf(i) < filters.amount.from) return false;
    if (filters.amount?.to != null && amountOf(i) > filters.amount.to) return false;
    return true;
  });
  const sign = order === 'Desc' ? -1 : 1;
  return found.sort((a, b) => sign * (dateOf(a, range.dateType as string) - dateOf(b, range.dateType as string)) || a.ksefNumber.localeCompare(b.ksefNumber));
}
