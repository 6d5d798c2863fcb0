import { gunzipSync, unzipSync } from 'fflate';

/** Reads a ustar archive into name → content (regular files only). */
export function untar(archive: Uint8Array): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  let offset = 0;
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    offset += 512;
    if (type === '0' || type === '') files[name] = buf.subarray(offset, offset + size);
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}

/** A ZIP or a tar.gz, told apart by their magic bytes. */
export function unpackArchive(archive: Uint8Array): Record<string, Uint8Array> {
  if (archive[0] === 0x1f && archive[1] === 0x8b) return untar(gunzipSync(archive));
  return unzipSync(archive);
}
