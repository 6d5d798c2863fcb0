import { BATCH_UPLOAD_WINDOW_PER_PART_MS, type BatchFailureStage, type BatchInvoice, type BatchOptions, type SentBatch } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { encryptionInfo, generateSymmetricKey } from '../crypto/primitives.js';
import { KsefApiError, KsefBatchSendError, KsefRateBudgetExhaustedError } from '../../../../ports/ksef-errors.js';
import { must } from '../http/ksef-api.js';
import { buildBatchPackage, type BatchPackage } from './batch-package.js';
import { FORM_CODES, type FormCodeName } from './form-codes.js';
import { getSessionState } from './session-status.js';

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

/** KSeF decided the request and did not process it (a 429 is decided before processing, too). */
const isRefusal = (error: unknown): error is KsefApiError => error instanceof KsefApiError && error.status >= 400 && error.status < 500;

/**
 * One turn of the event loop with an I/O poll in it. Building a large package blocks the loop for
 * seconds (10,000 invoices: ~9 s); meanwhile the server may close an idle keep-alive connection,
 * and its FIN waits unread in the kernel. A request dispatched straight after the build would go
 * out on that dead socket and fail as "outcome unknown". The first setImmediate may still run in
 * the poll phase that is current; the second runs after the next poll, by which time the pool has
 * seen the close and opens a fresh connection.
 */
async function letIdleSocketsClose(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Batch sending (README §5): pack and encrypt, open the session with the parts' sizes and hashes,
 * hand the reference to `onOpened`, PUT every part to its pre-signed URL in parallel and without the
 * access token, then close. Fails with KsefBatchSendError naming the stage it reached: KSeF
 * processes a batch only after its close, so anything before the close leaves nothing in KSeF.
 */
export async function sendBatch(ctx: ClientContext, invoices: readonly BatchInvoice[], options: BatchSendOptions = {}, signal?: AbortSignal): Promise<SentBatch> {
  if (invoices.length === 0) throw new Error('a batch needs at least one invoice');
  let pkg: BatchPackage;
  const secret = generateSymmetricKey();
  try {
    pkg = buildBatchPackage(invoices, secret, options.compression ?? 'Zip', options.maxPartBytes, new Date(ctx.timer.now()));
  } catch (error) {
    throw new KsefBatchSendError('before-open', null, { cause: error });
  }
  await letIdleSocketsClose();

  let openMayHaveLanded = false;
  let opened: { referenceNumber: string; partUploadRequests: ReadonlyArray<{ ordinalNumber: number; method: string; url: string; headers?: Record<string, unknown> | null }> };
  try {
    opened = await ctx.keys.withKey('SymmetricKeyEncryption', (key) =>
      ctx.auth.authorized(async (headers) => {
        try {
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
        } catch (error) {
          if (!isRefusal(error) && !(error instanceof KsefRateBudgetExhaustedError)) openMayHaveLanded = true;
          throw error;
        }
      }, signal),
    );
  } catch (error) {
    throw new KsefBatchSendError(openMayHaveLanded ? 'open-unknown' : 'before-open', null, { cause: error });
  }

  const ref = opened.referenceNumber;
  try {
    const uploadDeadline = new Date(ctx.timer.now() + BATCH_UPLOAD_WINDOW_PER_PART_MS * pkg.parts.length).toISOString();
    await options.onOpened?.(ref, { partCount: pkg.parts.length, uploadDeadline });
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
  } catch (error) {
    throw new KsefBatchSendError('before-close', ref, { cause: error });
  }

  await closeBatchOnce(ctx, ref, signal);
  return { sessionReferenceNumber: ref, invoiceHashes: pkg.invoiceHashes, partCount: pkg.parts.length };
}

/**
 * POST /sessions/batch/{ref}/close at most once in effect. After a lost response the session status
 * tells whether it landed (anything but 100 "open"); only a session still open is closed again, and
 * a 21180 to that repeat means the lost one landed after all. Failures say whether the close was
 * refused (nothing processed) or may have landed.
 */
async function closeBatchOnce(ctx: ClientContext, ref: string, signal?: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.auth.authorized(async (headers) => {
        await ctx.api.POST('/sessions/batch/{referenceNumber}/close', { params: { path: { referenceNumber: ref } }, headers, signal });
      }, signal);
      return;
    } catch (error) {
      if (attempt > 1 && error instanceof KsefApiError && error.hasCode(21180)) return;
      const stage: BatchFailureStage = isRefusal(error) ? 'close-refused' : error instanceof KsefRateBudgetExhaustedError ? 'before-close' : 'close-unknown';
      if (stage !== 'close-unknown' || attempt >= 3) throw new KsefBatchSendError(stage, ref, { cause: error });
    }
    let state: Awaited<ReturnType<typeof getSessionState>>;
    try {
      state = await getSessionState(ctx, ref, signal);
    } catch (error) {
      throw new KsefBatchSendError('close-unknown', ref, { cause: error });
    }
    if (state.status.code !== 100) return;
  }
}
