import type { SimContext } from '../context.js';
import { presign } from '../http/presign.js';
import type { SessionInvoice } from '../state.js';
import { visibleInvoiceStatus } from './invoice-status.js';

const UPO_LINK_TTL_MS = 3 * 86_400_000;

/** `SessionInvoiceStatusResponse` as a client sees it now. */
export function invoiceView(ctx: SimContext, origin: string, invoice: SessionInvoice, countPoll: boolean) {
  const now = ctx.clock.now();
  const status = visibleInvoiceStatus(invoice, now, ctx.options.delays.acceptMs, countPoll);
  const result = status.code >= 200 ? invoice.result : null;
  const stored = result?.kind === 'accepted' ? result.stored : null;
  const expires = new Date(now.getTime() + UPO_LINK_TTL_MS);
  return {
    ordinalNumber: invoice.ordinalNumber,
    invoiceNumber: stored?.facts.invoiceNumber ?? (result?.kind === 'rejected' ? result.invoiceNumber : null),
    ksefNumber: stored?.ksefNumber ?? null,
    referenceNumber: invoice.referenceNumber,
    invoiceHash: invoice.invoiceHash,
    invoiceFileName: invoice.invoiceFileName,
    acquisitionDate: stored?.acquisitionDate.toISOString() ?? null,
    invoicingDate: invoice.invoicingDate.toISOString(),
    permanentStorageDate: stored && stored.permanentStorageDate <= now ? stored.permanentStorageDate.toISOString() : null,
    upoDownloadUrl: stored ? presign(ctx, origin, `/_blob/upo/${invoice.sessionReferenceNumber}/invoice/${invoice.referenceNumber}.xml`, expires) : null,
    upoDownloadUrlExpirationDate: stored ? expires.toISOString() : null,
    invoicingMode: stored?.invoicingMode ?? (result?.kind === 'rejected' ? result.invoicingMode : null),
    status: { code: status.code, description: status.description, details: status.details ?? null, extensions: status.extensions ?? null },
  };
}
