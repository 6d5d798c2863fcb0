import { gzipSync, zipSync } from 'fflate';
import { BATCH_LIMITS, type BatchInvoice } from '../../../../ports/ksef-gateway.js';
import { aesEncrypt, sha256Base64, toBytes, type SymmetricKey } from '../crypto/primitives.js';


export type CompressionType = 'Zip' | 'TarGz';

export interface BatchPackage {
  readonly fileSize: number;
  readonly fileHash: string;
  readonly compressionType: CompressionType;
  readonly parts: ReadonlyArray<{ readonly ordinalNumber: number; readonly fileSize: number; readonly fileHash: string; readonly content: Buffer }>;
  readonly invoiceHashes: Readonly<Record<string, string>>;
}

/** A POSIX ustar archive: one 512-byte header per file, content padded to 512, two empty blocks at the end. */
export function tar(files: Record<string, Uint8Array>, mtimeSeconds: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 100) throw new Error(`file name too long for tar: ${name}`);
    nameBytes.copy(header, 0);
    header.write('0000644\0', 100, 'ascii');
    header.write('0000000\0', 108, 'ascii');
    header.write('0000000\0', 116, 'ascii');
    header.write(`${content.byteLength.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    header.write(`${Math.floor(mtimeSeconds).toString(8).padStart(11, '0')}\0`, 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write('0', 156, 'ascii');
    header.write('ustar\0' + '00', 257, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header, content, Buffer.alloc((512 - (content.byteLength % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/**
 * Packs the invoices (ZIP, or tar.gz), cuts the archive into binary parts under the limit, and
 * encrypts each part on its own with the session key (README §5).
 */
export function buildBatchPackage(invoices: readonly BatchInvoice[], secret: SymmetricKey, compressionType: CompressionType = 'Zip', maxPartBytes: number = BATCH_LIMITS.maxPartBytes, now = new Date()): BatchPackage {
  const files: Record<string, Uint8Array> = {};
  const invoiceHashes: Record<string, string> = {};
  for (const invoice of invoices) {
    if (files[invoice.fileName]) throw new Error(`duplicate file name in batch: ${invoice.fileName}`);
    const bytes = toBytes(invoice.xml);
    files[invoice.fileName] = bytes;
    invoiceHashes[invoice.fileName] = sha256Base64(bytes);
  }
  const archive = Buffer.from(compressionType === 'Zip' ? zipSync(files, { level: 6, mtime: now }) : gzipSync(tar(files, now.getTime() / 1000), { level: 6 }));
  if (archive.byteLength > BATCH_LIMITS.maxPackageBytes) throw new Error(`batch package of ${archive.byteLength} bytes exceeds 5 GB`);
  const partCount = Math.max(1, Math.ceil(archive.byteLength / maxPartBytes));
  if (partCount > BATCH_LIMITS.maxParts) throw new Error(`batch package needs ${partCount} parts, more than ${BATCH_LIMITS.maxParts}`);
  const partSize = Math.ceil(archive.byteLength / partCount);
  const parts = Array.from({ length: partCount }, (_, i) => {
    const content = aesEncrypt(secret, archive.subarray(i * partSize, Math.min(archive.byteLength, (i + 1) * partSize)));
    return { ordinalNumber: i + 1, fileSize: content.byteLength, fileHash: sha256Base64(content), content };
  });
  return { fileSize: archive.byteLength, fileHash: sha256Base64(archive), compressionType, parts, invoiceHashes };
}
