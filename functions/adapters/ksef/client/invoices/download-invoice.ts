import type { XmlDocument } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { readXml } from '../sessions/session-status.js';

/** GET /invoices/ksef/{ksefNumber}: the XML as stored in KSeF, checked against `x-ms-meta-hash`. */
export async function downloadInvoice(ctx: ClientContext, ksefNumber: string, signal?: AbortSignal): Promise<XmlDocument> {
  return ctx.auth.authorized(async (headers) => {
    const { response } = await ctx.api.GET('/invoices/ksef/{ksefNumber}', { params: { path: { ksefNumber } }, headers, parseAs: 'stream', signal });
    return readXml(response, `invoice ${ksefNumber}`);
  }, signal);
}
