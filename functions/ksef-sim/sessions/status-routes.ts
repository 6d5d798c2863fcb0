import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { requireAccess, STATUS_PERMISSIONS } from '../auth/bearer.js';
import { badRequest } from '../http/api-error.js';
import { decodeContinuation, encodeContinuation } from '../http/continuation.js';
import { pageSize } from '../http/body.js';
import { presign } from '../http/presign.js';
import type { Router } from '../http/router.js';
import { json, type SimResponse } from '../http/types.js';
import { newReferenceNumber } from '../numbering/numbers.js';
import type { SessionInvoice, SimSession } from '../state.js';
import { buildUpoXml, UPO_PAGE_SIZE } from '../upo/upo-xml.js';
import { visibleInvoiceStatus } from './invoice-status.js';
import { invoiceView } from './invoice-view.js';
import { findSession } from './online-routes.js';
import { closedAt, sessionCounts, sessionStatus } from './session-status.js';

const UPO_LINK_TTL_MS = 3 * 86_400_000;

export function xmlResponse(xml: string): SimResponse {
  const bytes = Buffer.from(xml, 'utf8');
  return { status: 200, body: bytes, headers: { 'content-type': 'application/xml; charset=utf-8', 'x-ms-meta-hash': createHash('sha256').update(bytes).digest('base64') } };
}

/** Session UPO pages exist only when the session is 200; their reference numbers are made once. */
export function sessionUpoPages(ctx: SimContext, session: SimSession): { reference: string; documents: { stored: NonNullable<ReturnType<typeof acceptedOf>>; ordinal: number }[] }[] | null {
  if (sessionStatus(ctx, session).code !== 200) return null;
  const accepted = session.invoices.flatMap((i) => {
    const stored = acceptedOf(i);
    return stored ? [{ stored, ordinal: i.ordinalNumber }] : [];
  });
  const pages = [];
  for (let p = 0; p * UPO_PAGE_SIZE < accepted.length; p++) {
    session.upoReferenceNumbers[p] ??= newReferenceNumber('EU', closedAt(ctx, session) ?? ctx.clock.now());
    pages.push({ reference: session.upoReferenceNumbers[p] as string, documents: accepted.slice(p * UPO_PAGE_SIZE, (p + 1) * UPO_PAGE_SIZE) });
  }
  return pages;
}

function acceptedOf(invoice: SessionInvoice) {
  return invoice.result?.kind === 'accepted' ? invoice.result.stored : null;
}

export function sessionUpoXml(ctx: SimContext, session: SimSession, upoReference: string): string | null {
  const pages = sessionUpoPages(ctx, session);
  const index = pages?.findIndex((p) => p.reference === upoReference) ?? -1;
  if (!pages || index < 0) return null;
  const total = pages.reduce((n, p) => n + p.documents.length, 0);
  return buildUpoXml(session, ctx.state.authOperations.get(session.authReference), (pages[index] as (typeof pages)[number]).documents, { number: index + 1, pages: pages.length, total });
}

export function invoiceUpoXml(ctx: SimContext, session: SimSession, invoice: SessionInvoice | undefined): string | null {
  if (!invoice || visibleInvoiceStatus(invoice, ctx.clock.now(), ctx.options.delays.acceptMs, false).code !== 200) return null;
  const stored = acceptedOf(invoice);
  return stored ? buildUpoXml(session, ctx.state.authOperations.get(session.authReference), [{ stored, ordinal: invoice.ordinalNumber }]) : null;
}

export function registerSessionStatusRoutes(router: Router, ctx: SimContext): void {
  router.add('GET', '/sessions', (req) => {
    const operation = requireAccess(ctx, req, ['InvoiceWrite', 'Introspection', 'EnforcementOperations']);
    const type = req.query.get('sessionType');
    if (type !== 'Online' && type !== 'Batch') throw badRequest('inputValidation', "Parametr 'sessionType' jest wymagany (Online lub Batch).");
    const size = pageSize(req, 10, 1000, 10);
    const offset = decodeContinuation(req);
    const all = [...ctx.state.sessions.values()]
      .filter((s) => s.kind === type && s.context.value === operation.context.value)
      .filter((s) => !req.query.get('referenceNumber') || s.referenceNumber === req.query.get('referenceNumber'))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    const sessions = all.slice(offset, offset + size).map((s) => {
      const counts = sessionCounts(ctx, s);
      return {
        referenceNumber: s.referenceNumber,
        status: sessionStatus(ctx, s),
        dateCreated: s.dateCreated.toISOString(),
        dateUpdated: s.dateUpdated.toISOString(),
        validUntil: s.kind === 'Online' ? s.validUntil.toISOString() : null,
        totalInvoiceCount: counts.invoiceCount,
        successfulInvoiceCount: counts.successfulInvoiceCount,
        failedInvoiceCount: counts.failedInvoiceCount,
      };
    });
    return json(200, { sessions, continuationToken: offset + size < all.length ? encodeContinuation(offset + size) : null });
  });

  router.add('GET', '/sessions/{referenceNumber}', (req) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const counts = sessionCounts(ctx, session);
    const pages = sessionUpoPages(ctx, session);
    const expires = new Date(ctx.clock.now().getTime() + UPO_LINK_TTL_MS);
    return json(200, {
      status: sessionStatus(ctx, session),
      dateCreated: session.dateCreated.toISOString(),
      dateUpdated: session.dateUpdated.toISOString(),
      validUntil: session.kind === 'Online' ? session.validUntil.toISOString() : null,
      upo: pages
        ? { pages: pages.map((p) => ({ referenceNumber: p.reference, downloadUrl: presign(ctx, req.origin, `/_blob/upo/${session.referenceNumber}/session/${p.reference}.xml`, expires), downloadUrlExpirationDate: expires.toISOString() })) }
        : null,
      invoiceCount: counts.invoiceCount,
      successfulInvoiceCount: counts.successfulInvoiceCount,
      failedInvoiceCount: counts.allFinal || counts.failedInvoiceCount > 0 ? counts.failedInvoiceCount : null,
    });
  });

  const list = (failedOnly: boolean) => (req: Parameters<Parameters<Router['add']>[2]>[0]) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const size = pageSize(req, 10, 1000, 10);
    const offset = decodeContinuation(req);
    const now = ctx.clock.now();
    const source = failedOnly
      ? session.invoices.filter((i) => visibleInvoiceStatus(i, now, ctx.options.delays.acceptMs, false).code > 200)
      : session.invoices;
    // A page that shows an invoice is a status read of it, as a single-invoice GET is (stuckInvoices.polls).
    const page = source.slice(offset, offset + size).map((i) => invoiceView(ctx, req.origin, i, true));
    return json(200, { invoices: page, continuationToken: offset + size < source.length ? encodeContinuation(offset + size) : null });
  };
  router.add('GET', '/sessions/{referenceNumber}/invoices', list(false));
  router.add('GET', '/sessions/{referenceNumber}/invoices/failed', list(true));

  router.add('GET', '/sessions/{referenceNumber}/invoices/{invoiceReferenceNumber}', (req) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const invoice = session.invoicesByReference.get(req.params.invoiceReferenceNumber ?? '');
    if (!invoice) throw badRequest('invoiceNotFound');
    return json(200, invoiceView(ctx, req.origin, invoice, true));
  });

  router.add('GET', '/sessions/{referenceNumber}/invoices/{invoiceReferenceNumber}/upo', (req) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const xml = invoiceUpoXml(ctx, session, session.invoicesByReference.get(req.params.invoiceReferenceNumber ?? ''));
    if (!xml) throw badRequest('upoNotFound');
    return xmlResponse(xml);
  });

  router.add('GET', '/sessions/{referenceNumber}/invoices/ksef/{ksefNumber}/upo', (req) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const xml = invoiceUpoXml(ctx, session, session.invoicesByKsefNumber.get(req.params.ksefNumber ?? ''));
    if (!xml) throw badRequest('upoNotFound');
    return xmlResponse(xml);
  });

  router.add('GET', '/sessions/{referenceNumber}/upo/{upoReferenceNumber}', (req) => {
    const operation = requireAccess(ctx, req, STATUS_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber);
    const xml = sessionUpoXml(ctx, session, req.params.upoReferenceNumber ?? '');
    if (!xml) throw badRequest('upoNotFound');
    return xmlResponse(xml);
  });
}
