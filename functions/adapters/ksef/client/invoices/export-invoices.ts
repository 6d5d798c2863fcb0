import type { IncrementalSyncPackage, IncrementalSyncRequest, KsefInvoiceMetadata } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { aesDecrypt, encryptionInfo, generateSymmetricKey, sha256Base64, type SymmetricKey } from '../crypto/primitives.js';
import { KsefIntegrityError, KsefOperationFailedError } from '../../../../ports/ksef-errors.js';
import { must, type Schemas } from '../http/ksef-api.js';
import { unpackArchive } from './unpack.js';

export interface ExportOptions {
  readonly pollTimeoutMs?: number;
}

/**
 * KSeF takes at most 3 months per query (README §8.1) and a missing `to` means now, so a mark
 * further back than that (a company that starts late, or a sync stopped for a season) is caught up
 * in windows of this length instead of failing every run with a 400. 89 days is under any three
 * calendar months, in UTC or in Warsaw.
 */
export const MAX_SYNC_WINDOW_MS = 89 * 86_400_000;

async function startExport(ctx: ClientContext, request: IncrementalSyncRequest, to: string | undefined, secret: SymmetricKey, signal?: AbortSignal): Promise<string> {
  return ctx.keys.withKey('SymmetricKeyEncryption', (key) =>
    ctx.auth.authorized(async (headers) => {
      const { data } = await ctx.api.POST('/invoices/exports', {
        headers,
        body: {
          encryption: encryptionInfo(key.key, key.publicKeyId, secret),
          filters: {
            subjectType: request.subjectType,
            // HWM sync (README §8.3): PermanentStorage, restricted to the HWM, no `to`.
            dateRange: { dateType: 'PermanentStorage', from: request.from, ...(to === undefined ? {} : { to }), restrictToPermanentStorageHwmDate: true },
          },
          onlyMetadata: false,
        },
        signal,
      });
      return must(data, 'POST /invoices/exports').referenceNumber;
    }, signal),
  );
}

async function waitForExport(ctx: ClientContext, referenceNumber: string, options: ExportOptions, signal?: AbortSignal): Promise<Schemas['InvoiceExportStatusResponse']> {
  const deadline = ctx.timer.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  for (let attempt = 0; ; attempt++) {
    const status = await ctx.auth.authorized(async (headers) => {
      const { data } = await ctx.api.GET('/invoices/exports/{referenceNumber}', { params: { path: { referenceNumber } }, headers, signal });
      return must(data, 'GET /invoices/exports/{referenceNumber}');
    }, signal);
    if (status.status.code !== 100) return status;
    if (ctx.timer.now() >= deadline) throw new KsefOperationFailedError(referenceNumber, { code: 100, description: 'the export did not finish in time', details: [] });
    await ctx.timer.sleep(Math.min(5_000, 250 * 2 ** attempt), signal);
  }
}

async function downloadPackage(ctx: ClientContext, pkg: Schemas['InvoicePackage'], secret: SymmetricKey, signal?: AbortSignal): Promise<Buffer> {
  const plain: Buffer[] = [];
  for (const part of [...pkg.parts].sort((a, b) => a.ordinalNumber - b.ordinalNumber)) {
    const response = await ctx.transport.external(part.url, { method: part.method || 'GET', timeoutMs: ctx.env.transferTimeoutMs, ...(signal ? { signal } : {}) });
    const encrypted = Buffer.from(await response.arrayBuffer());
    if (sha256Base64(encrypted) !== part.encryptedPartHash || encrypted.byteLength !== part.encryptedPartSize) {
      throw new KsefIntegrityError(`export part ${part.partName}: encrypted size or hash does not match`);
    }
    const decrypted = aesDecrypt(secret, encrypted);
    if (sha256Base64(decrypted) !== part.partHash) throw new KsefIntegrityError(`export part ${part.partName}: decrypted hash does not match`);
    plain.push(decrypted);
  }
  return Buffer.concat(plain);
}

/**
 * One incremental-sync step: export from the high-water mark, poll, download and decrypt the parts,
 * join them, unpack, and pair each `_metadata.json` entry with its `{ksefNumber}.xml`. `nextFrom` is
 * `lastPermanentStorageDate` while truncated, else `permanentStorageHwmDate` (README §8.3). A mark
 * more than 3 months back is caught up one window (MAX_SYNC_WINDOW_MS) per call.
 */
export async function syncInvoices(ctx: ClientContext, request: IncrementalSyncRequest, options: ExportOptions = {}, signal?: AbortSignal): Promise<IncrementalSyncPackage> {
  const fromMs = Date.parse(request.from);
  const to = ctx.timer.now() - fromMs > MAX_SYNC_WINDOW_MS ? new Date(fromMs + MAX_SYNC_WINDOW_MS).toISOString() : undefined;
  const secret = generateSymmetricKey();
  const referenceNumber = await startExport(ctx, request, to, secret, signal);
  const status = await waitForExport(ctx, referenceNumber, options, signal);
  // 420: `from` lies after the HWM, i.e. nothing new is complete yet.
  if (status.status.code === 420) return { invoices: [], nextFrom: request.from, isTruncated: false };
  if (status.status.code !== 200) throw new KsefOperationFailedError(referenceNumber, status.status);
  const pkg = status.package;
  if (!pkg || pkg.parts.length === 0) return untilWindowEnd({ invoices: [], nextFrom: pkg?.permanentStorageHwmDate ?? request.from, isTruncated: false }, to);
  const files = unpackArchive(await downloadPackage(ctx, pkg, secret, signal));
  const metadataFile = files['_metadata.json'];
  if (!metadataFile) throw new KsefIntegrityError(`export ${referenceNumber} has no _metadata.json`);
  const metadata = (JSON.parse(Buffer.from(metadataFile).toString('utf8')) as { invoices: KsefInvoiceMetadata[] }).invoices;
  const invoices = metadata.map((m) => {
    const xml = files[`${m.ksefNumber}.xml`];
    if (!xml) throw new KsefIntegrityError(`export ${referenceNumber} lists ${m.ksefNumber} but holds no ${m.ksefNumber}.xml`);
    return { metadata: m, xml: Buffer.from(xml).toString('utf8') };
  });
  if (pkg.isTruncated) return { invoices, nextFrom: pkg.lastPermanentStorageDate ?? request.from, isTruncated: true };
  return untilWindowEnd({ invoices, nextFrom: pkg.permanentStorageHwmDate ?? pkg.lastPermanentStorageDate ?? request.from, isTruncated: false }, to);
}

/**
 * A catch-up window is complete up to its end, or up to the HWM if that is earlier; when it is
 * complete up to its end, more is waiting after it, so the caller is told to go on.
 */
function untilWindowEnd(pkg: IncrementalSyncPackage, to: string | undefined): IncrementalSyncPackage {
  if (to === undefined || Date.parse(pkg.nextFrom) < Date.parse(to)) return pkg;
  return { ...pkg, nextFrom: to, isTruncated: true };
}
