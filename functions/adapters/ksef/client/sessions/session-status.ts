import type { KsefStatus, SessionInvoice, SessionState, XmlDocument } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { KsefIntegrityError } from '../../../../ports/ksef-errors.js';
import { must, type Schemas } from '../http/ksef-api.js';
import { sha256Base64 } from '../crypto/primitives.js';

const toStatus = (s: Schemas['StatusInfo'] | Schemas['InvoiceStatusInfo']): KsefStatus => ({
  code: s.code,
  description: s.description,
  details: s.details ?? [],
  ...('extensions' in s && s.extensions ? { extensions: s.extensions as Record<string, unknown> } : {}),
});

export const toSessionInvoice = (i: Schemas['SessionInvoiceStatusResponse']): SessionInvoice => ({ ...i, status: toStatus(i.status) });

export async function getSessionState(ctx: ClientContext, sessionRef: string, signal?: AbortSignal): Promise<SessionState> {
  const s = await ctx.auth.authorized(async (headers) => {
    const { data } = await ctx.api.GET('/sessions/{referenceNumber}', { params: { path: { referenceNumber: sessionRef } }, headers, signal });
    return must(data, 'GET /sessions/{referenceNumber}');
  }, signal);
  return {
    status: toStatus(s.status),
    dateCreated: s.dateCreated,
    dateUpdated: s.dateUpdated,
    validUntil: s.validUntil ?? null,
    invoiceCount: s.invoiceCount ?? null,
    successfulInvoiceCount: s.successfulInvoiceCount ?? null,
    failedInvoiceCount: s.failedInvoiceCount ?? null,
    upoPages: (s.upo?.pages ?? []).map((p) => ({ referenceNumber: p.referenceNumber, downloadUrl: p.downloadUrl })),
  };
}

export async function getInvoiceStatus(ctx: ClientContext, sessionRef: string, invoiceRef: string, signal?: AbortSignal): Promise<SessionInvoice> {
  return ctx.auth.authorized(async (headers) => {
    const { data } = await ctx.api.GET('/sessions/{referenceNumber}/invoices/{invoiceReferenceNumber}', {
      params: { path: { referenceNumber: sessionRef, invoiceReferenceNumber: invoiceRef } },
      headers,
      signal,
    });
    return toSessionInvoice(must(data, 'GET /sessions/{referenceNumber}/invoices/{invoiceReferenceNumber}'));
  }, signal);
}

/** Pages through the session's invoice list (or failed list) with `x-continuation-token`. */
export async function* sessionInvoicePages(ctx: ClientContext, sessionRef: string, failedOnly: boolean, signal?: AbortSignal): AsyncGenerator<SessionInvoice[]> {
  let continuationToken: string | undefined;
  do {
    const page = await ctx.auth.authorized(async (headers) => {
      const params = {
        path: { referenceNumber: sessionRef },
        query: { pageSize: ctx.sessionInvoicePageSize },
        header: continuationToken ? { 'x-continuation-token': continuationToken } : {},
      };
      const { data } = failedOnly
        ? await ctx.api.GET('/sessions/{referenceNumber}/invoices/failed', { params, headers, signal })
        : await ctx.api.GET('/sessions/{referenceNumber}/invoices', { params, headers, signal });
      return must(data, 'GET /sessions/{referenceNumber}/invoices');
    }, signal);
    yield page.invoices.map(toSessionInvoice);
    continuationToken = page.continuationToken ?? undefined;
  } while (continuationToken);
}

export async function listSessionInvoices(ctx: ClientContext, sessionRef: string, failedOnly: boolean, signal?: AbortSignal): Promise<SessionInvoice[]> {
  const all: SessionInvoice[] = [];
  for await (const page of sessionInvoicePages(ctx, sessionRef, failedOnly, signal)) all.push(...page);
  return all;
}

/** Looks an invoice up by the SHA-256 of its XML, stopping at the first page that has it. */
export async function findInvoiceByHash(ctx: ClientContext, sessionRef: string, invoiceHash: string, signal?: AbortSignal): Promise<SessionInvoice | undefined> {
  for await (const page of sessionInvoicePages(ctx, sessionRef, false, signal)) {
    const found = page.find((i) => i.invoiceHash === invoiceHash);
    if (found) return found;
  }
  return undefined;
}

/** An XML body with its `x-ms-meta-hash` checked when KSeF sent one. */
export async function readXml(response: Response, what: string): Promise<XmlDocument> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const hash = response.headers.get('x-ms-meta-hash') ?? undefined;
  if (hash && hash !== sha256Base64(bytes)) throw new KsefIntegrityError(`${what}: the content does not match x-ms-meta-hash`);
  return { xml: bytes.toString('utf8'), ...(hash ? { hash } : {}) };
}

export async function downloadInvoiceUpo(ctx: ClientContext, sessionRef: string, invoiceRef: string, signal?: AbortSignal): Promise<XmlDocument> {
  return ctx.auth.authorized(async (headers) => {
    const { response } = await ctx.api.GET('/sessions/{referenceNumber}/invoices/{invoiceReferenceNumber}/upo', {
      params: { path: { referenceNumber: sessionRef, invoiceReferenceNumber: invoiceRef } },
      headers,
      parseAs: 'stream',
      signal,
    });
    return readXml(response, 'invoice UPO');
  }, signal);
}

/** Every page of the session UPO, through the authenticated endpoint (pre-signed links expire). */
export async function downloadSessionUpo(ctx: ClientContext, sessionRef: string, signal?: AbortSignal): Promise<XmlDocument[]> {
  const state = await getSessionState(ctx, sessionRef, signal);
  const pages: XmlDocument[] = [];
  for (const page of state.upoPages) {
    pages.push(
      await ctx.auth.authorized(async (headers) => {
        const { response } = await ctx.api.GET('/sessions/{referenceNumber}/upo/{upoReferenceNumber}', {
          params: { path: { referenceNumber: sessionRef, upoReferenceNumber: page.referenceNumber } },
          headers,
          parseAs: 'stream',
          signal,
        });
        return readXml(response, 'session UPO');
      }, signal),
    );
  }
  return pages;
}
