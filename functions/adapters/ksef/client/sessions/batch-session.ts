import type { BatchInvoice, BatchOptions, SentBatch } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { encryptionInfo, generateSymmetricKey } from '../crypto/primitives.js';
import { must } from '../http/ksef-api.js';
import { buildBatchPackage } from './batch-package.js';
import { FORM_CODES, type FormCodeName } from './form-codes.js';
import { closeSessionOnce } from './online-session.js';

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

export interface BatchSendOptions extends BatchOptions {
  readonly formCode?: FormCodeName;
  readonly maxPartBytes?: number;
  readonly uploadConcurrency?: number;
}

/**
 * Batch sending (README §5): pack and encrypt, open the session with the parts' sizes and hashes,
 * PUT every part to its pre-signed URL in parallel and without the access token, then close.
 */
export async function sendBatch(ctx: ClientContext, invoices: readonly BatchInvoice[], options: BatchSendOptions = {}, signal?: AbortSignal): Promise<SentBatch> {
  if (invoices.length === 0) throw new Error('a batch needs at least one invoice');
  const secret = generateSymmetricKey();
  const pkg = buildBatchPackage(invoices, secret, options.compression ?? 'Zip', options.maxPartBytes, new Date(ctx.timer.now()));
  const opened = await ctx.keys.withKey('SymmetricKeyEncryption', (key) =>
    ctx.auth.authorized(async (headers) => {
      const { data } = await ctx.api.POST('/sessions/batch', {
        headers,
        body: {
          formCode: FORM_CODES[options.formCode ?? 'FA(3)'],
          batchFile: {
            fileSize: pkg.fileSize,
            fileHash: pkg.fileHash,
            ...(pkg.compressionType === 'TarGz' ? { compressionType: 'TarGz' as const } : {}),
            fileParts: pkg.parts.map(({ ordinalNumber, fileSize, fileHash }) => ({ ordinalNumber, fileSize, fileHash })),
          },
          encryption: encryptionInfo(key.key, key.publicKeyId, secret),
          offlineMode: options.offlineMode ?? false,
        },
        signal,
      });
      return must(data, 'POST /sessions/batch');
    }, signal),
  );
  await mapBounded(opened.partUploadRequests, options.uploadConcurrency ?? 4, async (request) => {
    const part = pkg.parts.find((p) => p.ordinalNumber === request.ordinalNumber);
    if (!part) throw new Error(`KSeF asked for part ${request.ordinalNumber}, which the package does not have`);
    const response = await ctx.transport.external(request.url, {
      method: request.method,
      headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, String(v)])),
      body: part.content,
      timeoutMs: ctx.env.transferTimeoutMs,
      ...(signal ? { signal } : {}),
    });
    await response.arrayBuffer();
  });
  await closeSessionOnce(ctx, 'batch', opened.referenceNumber, signal);
  return { sessionReferenceNumber: opened.referenceNumber, invoiceHashes: pkg.invoiceHashes, partCount: pkg.parts.length };
}
