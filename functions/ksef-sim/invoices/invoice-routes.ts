import { zipSync, strToU8 } from 'fflate';
import { createHash } from 'node:crypto';
import type { SimContext } from '../context.js';
import { READ_PERMISSIONS, requireAccess } from '../auth/bearer.js';
import { aesEncrypt, sha256Base64 } from '../crypto/symmetric.js';
import { badRequest, gone } from '../http/api-error.js';
import { jsonBody, pageSize } from '../http/body.js';
import { presign } from '../http/presign.js';
import type { Router } from '../http/router.js';
import { json } from '../http/types.js';
import { newReferenceNumber } from '../numbering/numbers.js';
import type { ExportJob, ExportPackage } from '../state.js';
import { openEncryption } from '../sessions/online-routes.js';
import { invoiceMetadata } from './metadata.js';
import { dateOf, highWaterMark, queryInvoices, type QueryFilters } from './query.js';

const EXPORT_RETENTION_MS = 7 * 86_400_000;
const MAX_RUNNING_EXPORTS = 10;

export function registerInvoiceRoutes(router: Router, ctx: SimContext): void {
  router.add('POST', '/invoices/query/metadata', (req) => {
    const operation = requireAccess(ctx, req, READ_PERMISSIONS);
    const size = pageSize(req, 10, 250, 10);
    const offset = Number(req.query.get('pageOffset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('inputValidation', "Parametr 'pageOffset' musi być nieujemną liczbą całkowitą.");
    const order = req.query.get('sortOrder') === 'Desc' ? 'Desc' : 'Asc';
    const filters = jsonBody<QueryFilters>(req);
    const all = queryInvoices(ctx, operation.context.value, filters, order);
    const cap = ctx.options.queryResultCap;
    const window = all.slice(0, cap);
    const start = offset * size;
    const page = window.slice(start, start + size);
    const end = start + size;
    return json(200, {
      hasMore: end < all.length,
      isTruncated: all.length > cap && end >= cap,
      permanentStorageHwmDate: filters.dateRange?.dateType === 'PermanentStorage' ? highWaterMark(ctx, upperBound(filters)).toISOString() : null,
      invoices: page.map(invoiceMetadata),
    });
  });

  router.add('GET', '/invoices/ksef/{ksefNumber}', (req) => {
    const operation = requireAccess(ctx, req, READ_PERMISSIONS);
    const invoice = ctx.state.invoicesByKsefNumber.get(req.params.ksefNumber ?? '');
    const nip = operation.context.value;
    const visible = invoice && (invoice.facts.sellerNip === nip || invoice.facts.buyer.value === nip || invoice.facts.thirdSubjects.some((t) => t.nip === nip));
    if (!invoice || !visible) throw badRequest('invoiceNotFound');
    if (invoice.acquisitionDate > ctx.clock.now()) throw badRequest('invoiceNotYetAvailable');
    return { status: 200, body: invoice.xml, headers: { 'content-type': 'application/xml; charset=utf-8', 'x-ms-meta-hash': invoice.invoiceHash } };
  });

  router.add('POST', '/invoices/exports', (req) => {
    const operation = requireAccess(ctx, req, READ_PERMISSIONS);
    const body = jsonBody<{ encryption?: Parameters<typeof openEncryption>[1]; filters?: QueryFilters; onlyMetadata?: boolean; compressionType?: string | null }>(req);
    if (!body.filters) throw badRequest('invalidExport', "Pole 'filters' jest wymagane.");
    if (body.compressionType && body.compressionType !== 'Zip') throw badRequest('invalidExport', 'Symulator tworzy paczki ZIP.');
    const now = ctx.clock.now();
    const running = [...ctx.state.exports.values()].filter((e) => e.context.value === operation.context.value && now < e.readyAt).length;
    if (running >= MAX_RUNNING_EXPORTS) throw badRequest('exportLimit');
    const { key, iv } = openEncryption(ctx, body.encryption);
    queryInvoices(ctx, operation.context.value, body.filters, 'Asc'); // validates the filters now
    const job: ExportJob = {
      referenceNumber: newReferenceNumber('EH', now),
      context: operation.context,
      createdAt: now,
      readyAt: new Date(now.getTime() + ctx.options.delays.exportMs),
      key,
      iv,
      onlyMetadata: body.onlyMetadata === true,
      filters: body.filters as Record<string, unknown>,
      result: null,
    };
    ctx.state.exports.set(job.referenceNumber, job);
    return json(201, { referenceNumber: job.referenceNumber });
  });

  router.add('GET', '/invoices/exports/{referenceNumber}', (req) => {
    const operation = requireAccess(ctx, req, READ_PERMISSIONS);
    const job = ctx.state.exports.get(req.params.referenceNumber ?? '');
    if (!job || job.context.value !== operation.context.value) throw badRequest('exportNotFound');
    const now = ctx.clock.now();
    if (now.getTime() > job.createdAt.getTime() + EXPORT_RETENTION_MS) throw gone('Status eksportu nie jest już dostępny.');
    if (now < job.readyAt) return json(200, { status: { code: 100, description: 'Eksport faktur w toku' }, completedDate: null, packageExpirationDate: null, package: null });
    job.result ??= buildExport(ctx, job);
    const expires = new Date(job.readyAt.getTime() + EXPORT_RETENTION_MS);
    const pkg = job.result.package;
    return json(200, {
      status: job.result.status,
      completedDate: job.readyAt.toISOString(),
      packageExpirationDate: pkg ? expires.toISOString() : null,
      package: pkg && {
        invoiceCount: pkg.invoiceCount,
        size: pkg.size,
        isTruncated: pkg.isTruncated,
        lastIssueDate: pkg.lastIssueDate,
        lastInvoicingDate: pkg.lastInvoicingDate,
        lastPermanentStorageDate: pkg.lastPermanentStorageDate,
        permanentStorageHwmDate: pkg.permanentStorageHwmDate,
        parts: pkg.parts.map((p) => ({
          ordinalNumber: p.ordinalNumber,
          partName: p.partName,
          method: 'GET',
          url: presign(ctx, req.origin, `/_blob/export/${job.referenceNumber}/${p.ordinalNumber}`, expires),
          partSize: p.partSize,
          partHash: p.partHash,
          encryptedPartSize: p.encrypted.length,
          encryptedPartHash: p.encryptedPartHash,
          expirationDate: expires.toISOString(),
        })),
      },
    });
  });
}

/** The query's `to` in ms; undefined means now. */
function upperBound(filters: QueryFilters): number | undefined {
  return filters.dateRange?.to ? Date.parse(filters.dateRange.to) : undefined;
}

/** Builds the package at `readyAt`: up to the cap in ascending date order, ZIP, split, each part AES-encrypted. */
function buildExport(ctx: SimContext, job: ExportJob): NonNullable<ExportJob['result']> {
  const filters = job.filters as QueryFilters;
  const range = filters.dateRange!;
  const hwm = highWaterMark(ctx, upperBound(filters));
  if (range.restrictToPermanentStorageHwmDate && range.dateType === 'PermanentStorage' && Date.parse(range.from ?? '') > hwm.getTime()) {
    return { status: { code: 420, description: 'Zakres filtrowania wykracza poza dostępny zakres danych', details: ['Parametr dateRange.from jest późniejszy niż PermanentStorageHwmDate przy włączonym restrictToPermanentStorageHwmDate.'] }, package: null };
  }
  const all = queryInvoices(ctx, job.context.value, filters, 'Asc');
  const chosen = all.slice(0, ctx.options.exportInvoiceCap);
  const files: Record<string, Uint8Array> = { '_metadata.json': strToU8(JSON.stringify({ invoices: chosen.map(invoiceMetadata) })) };
  if (!job.onlyMetadata) for (const invoice of chosen) files[`${invoice.ksefNumber}.xml`] = new Uint8Array(invoice.xml);
  const archive = Buffer.from(zipSync(files));
  const parts: ExportPackage['parts'][number][] = [];
  for (let offset = 0, n = 1; offset < archive.length; offset += ctx.options.exportPartSize, n++) {
    const plain = archive.subarray(offset, offset + ctx.options.exportPartSize);
    const encrypted = aesEncrypt(job.key, job.iv, plain);
    parts.push({
      ordinalNumber: n,
      partName: `${job.referenceNumber}-${String(n).padStart(3, '0')}.zip.aes`,
      encrypted,
      partSize: plain.length,
      partHash: sha256Base64(plain),
      encryptedPartHash: createHash('sha256').update(encrypted).digest('base64'),
    });
  }
  const last = chosen[chosen.length - 1];
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    status: { code: 200, description: 'Eksport faktur zakończony sukcesem' },
    package: {
      invoiceCount: chosen.length,
      size: archive.length,
      isTruncated: all.length > chosen.length,
      lastIssueDate: range.dateType === 'Issue' && last ? last.facts.issueDate : null,
      lastInvoicingDate: range.dateType === 'Invoicing' && last ? iso(dateOf(last, 'Invoicing')) : null,
      lastPermanentStorageDate: range.dateType === 'PermanentStorage' && last ? iso(dateOf(last, 'PermanentStorage')) : null,
      permanentStorageHwmDate: range.dateType === 'PermanentStorage' ? hwm.toISOString() : null,
      parts,
    },
  };
}
