import { gunzipSync, unzipSync } from 'fflate';
import type { SimContext } from '../context.js';
import { requireAccess } from '../auth/bearer.js';
import { aesDecrypt, sha256Base64 } from '../crypto/symmetric.js';
import { badRequest } from '../http/api-error.js';
import { jsonBody, requireField } from '../http/body.js';
import { presign } from '../http/presign.js';
import type { Router } from '../http/router.js';
import { json, noContent } from '../http/types.js';
import { newReferenceNumber } from '../numbering/numbers.js';
import type { SessionInvoice, SimSession } from '../state.js';
import { checkFormCode, findSession, openSession, type EncryptionInfo } from './online-routes.js';

const PART_WINDOW_MS = 20 * 60_000;
const BATCH_PERMISSIONS = ['InvoiceWrite', 'EnforcementOperations'] as const;

interface OpenBatchRequest {
  formCode?: SimSession['formCode'];
  batchFile?: { fileSize?: number; fileHash?: string; compressionType?: 'Zip' | 'TarGz' | null; fileParts?: { ordinalNumber: number; fileSize: number; fileHash: string }[] };
  encryption?: EncryptionInfo;
  offlineMode?: boolean;
}

export function registerBatchRoutes(router: Router, ctx: SimContext): void {
  router.add('POST', '/sessions/batch', (req) => {
    const operation = requireAccess(ctx, req, BATCH_PERMISSIONS);
    const body = jsonBody<OpenBatchRequest>(req);
    const formCode = checkFormCode(body.formCode);
    const file = requireField(body.batchFile, 'batchFile');
    const parts = requireField(file.fileParts, 'batchFile.fileParts');
    if (!Array.isArray(parts) || parts.length === 0) throw badRequest('inputValidation', "Pole 'batchFile.fileParts' nie może być puste.");
    if (parts.length > 50) throw badRequest('tooManyParts', 'Pakiet może mieć najwyżej 50 części.');
    if (parts.some((p) => p.fileSize > 100 * 1024 * 1024 + 16)) throw badRequest('invalidPartSize', 'Część pakietu przekracza 100 MB.');
    const session = openSession(ctx, operation, {
      kind: 'Batch',
      formCode,
      encryption: body.encryption,
      offlineMode: body.offlineMode === true,
      batch: (now) => ({
        fileSize: requireField(file.fileSize, 'batchFile.fileSize'),
        fileHash: requireField(file.fileHash, 'batchFile.fileHash'),
        compressionType: file.compressionType ?? 'Zip',
        parts: parts.map((p) => ({ ordinalNumber: p.ordinalNumber, fileSize: p.fileSize, fileHash: p.fileHash, uploaded: null })),
        uploadDeadline: new Date(now.getTime() + PART_WINDOW_MS * parts.length),
      }),
    });
    const expires = session.batch!.uploadDeadline;
    return json(201, {
      referenceNumber: session.referenceNumber,
      partUploadRequests: session.batch!.parts.map((p) => ({
        ordinalNumber: p.ordinalNumber,
        method: 'PUT',
        url: presign(ctx, req.origin, `/_blob/batch/${session.referenceNumber}/${p.ordinalNumber}`, expires),
        headers: { 'x-ms-blob-type': 'BlockBlob' },
      })),
    });
  });

  router.add('POST', '/sessions/batch/{referenceNumber}/close', (req) => {
    const operation = requireAccess(ctx, req, BATCH_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber, 'Batch');
    const batch = session.batch!;
    if (session.closedAt || session.failure) throw badRequest('sessionState', 'Sesja jest już zamknięta.');
    const now = ctx.clock.now();
    if (now > batch.uploadDeadline) {
      session.failure = { code: 440, description: 'Sesja anulowana', details: ['Przekroczono czas wysyłki'] };
      throw badRequest('uploadWindow');
    }
    const missing = batch.parts.filter((p) => !p.uploaded);
    if (missing.length > 0) throw badRequest('emptyPackage', `Brak części: ${missing.map((p) => p.ordinalNumber).join(', ')}.`);
    session.closedAt = now;
    session.dateUpdated = now;
    const fault = ctx.faults.take('failSessions');
    if (fault) {
      session.failure = { code: fault.code ?? 500, description: fault.description ?? `Nieznany błąd (${fault.code ?? 500})` };
      return noContent();
    }
    session.work = Promise.resolve().then(() => unpack(ctx, session));
    return noContent();
  });
}

/** Decrypts the parts, joins them, checks the package, unzips it and queues every invoice. */
function unpack(ctx: SimContext, session: SimSession): void {
  const batch = session.batch!;
  const plainParts: Buffer[] = [];
  for (const part of [...batch.parts].sort((a, b) => a.ordinalNumber - b.ordinalNumber)) {
    try {
      plainParts.push(aesDecrypt(session.key, session.iv, part.uploaded as Buffer));
    } catch {
      session.failure = { code: 435, description: 'Błąd odszyfrowania zaszyfrowanych części archiwum' };
      return;
    }
  }
  const archive = Buffer.concat(plainParts);
  if (archive.length !== batch.fileSize || sha256Base64(archive) !== batch.fileHash) {
    session.failure = { code: 405, description: 'Błąd weryfikacji poprawności dostarczonych elementów paczki', details: ['Rozmiar lub skrót pakietu nie zgadza się z zadeklarowanym.'] };
    return;
  }
  let files: Record<string, Uint8Array>;
  try {
    files = batch.compressionType === 'TarGz' ? untar(gunzipSync(archive)) : unzipSync(archive);
  } catch {
    session.failure = { code: 430, description: 'Błąd dekompresji pierwotnego archiwum' };
    return;
  }
  const names = Object.keys(files).filter((n) => !n.endsWith('/')).sort();
  const limit = ctx.state.maxInvoicesByContext.get(session.context.value) ?? ctx.options.maxInvoicesPerSession;
  if (names.length > limit) {
    session.failure = { code: 420, description: 'Przekroczony limit faktur w sesji' };
    return;
  }
  if (names.length === 0) {
    session.failure = { code: 440, description: 'Sesja anulowana', details: ['Nie przesłano faktur'] };
    return;
  }
  const invoicingDate = session.dateCreated; // for batch, the session open time (offline rule)
  for (const name of names) {
    const xml = Buffer.from(files[name] as Uint8Array);
    const invoice: SessionInvoice = {
      ordinalNumber: session.invoices.length + 1,
      referenceNumber: newReferenceNumber('EE', ctx.clock.now()),
      sessionReferenceNumber: session.referenceNumber,
      invoiceHash: sha256Base64(xml),
      invoiceSize: xml.length,
      invoiceFileName: name.slice(0, 128),
      invoicingDate,
      offlineMode: session.offlineMode,
      hashOfCorrectedInvoice: null,
      result: null,
      visibleAt: null,
      stuckPolls: 0,
      stuckUntil: null,
    };
    session.invoices.push(invoice);
    session.invoicesByReference.set(invoice.referenceNumber, invoice);
    ctx.processor.submit(session, invoice, xml);
  }
}

/** The regular files of a POSIX ustar archive (TarGz packages, API 2.6.0); throws on a damaged one. */
export function untar(archive: Uint8Array): Record<string, Uint8Array> {
  const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const text = (start: number, length: number) => bytes.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  const octal = (start: number, length: number) => parseInt(text(start, length).trim() || '0', 8);
  const files: Record<string, Uint8Array> = {};
  for (let offset = 0; offset + 512 <= bytes.length; ) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return files;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] as number);
    if (sum !== octal(offset + 148, 8)) throw new Error(`tar header at ${offset}: bad checksum`);
    const size = octal(offset + 124, 12);
    const type = text(offset + 156, 1);
    const prefix = text(offset + 345, 155);
    const name = (prefix ? `${prefix}/` : '') + text(offset, 100);
    const start = offset + 512;
    if (start + size > bytes.length) throw new Error(`tar entry ${name}: truncated`);
    if (type === '0' || type === '') files[name] = bytes.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  throw new Error('tar archive without its end blocks');
}
