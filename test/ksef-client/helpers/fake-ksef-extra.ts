/** Batch sessions, metadata query, download and exports for the KSeF stand-in (see fake-ksef.ts). */
import { constants, createCipheriv, createDecipheriv, createHash, createPrivateKey, privateDecrypt, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { zipSync } from 'fflate';
import { unpackArchive } from '../../../functions/adapters/ksef/client/invoices/unpack.js';
import type { FakeKey } from './fake-ksef.js';

export interface SeededInvoice {
  readonly ksefNumber: string;
  readonly permanentStorageDate: string;
  readonly xml: string;
}

export interface FakeExtraState {
  readonly batches: Map<string, { key: Buffer; iv: Buffer; parts: Map<number, Buffer>; declared: number; invoices: string[]; closed: boolean }>;
  readonly seeded: SeededInvoice[];
  /** Everything at or before this is complete (the HWM); later invoices are not exported yet. */
  hwm: string;
  /** Records per metadata filter before `isTruncated` (KSeF: 10,000). */
  truncateAt: number;
  readonly exports: Map<string, { parts: Buffer[]; body: unknown }>;
}

export function newExtraState(): FakeExtraState {
  return { batches: new Map(), seeded: [], hwm: '2099-01-01T00:00:00.000Z', truncateAt: 10_000, exports: new Map() };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const ref = (type: string) => `20261125-${type}-${randomBytes(5).toString('hex').toUpperCase()}-${randomBytes(5).toString('hex').toUpperCase()}-${randomBytes(1).toString('hex').toUpperCase()}`;

export function metadataOf(i: SeededInvoice) {
  return {
    ksefNumber: i.ksefNumber,
    invoiceNumber: /<P_2>([^<]*)<\/P_2>/.exec(i.xml)?.[1] ?? '',
    issueDate: i.permanentStorageDate.slice(0, 10),
    invoicingDate: i.permanentStorageDate,
    acquisitionDate: i.permanentStorageDate,
    permanentStorageDate: i.permanentStorageDate,
    seller: { nip: i.ksefNumber.slice(0, 10), name: 'Sprzedawca' },
    buyer: { identifier: { type: 'Nip', value: '5265877635' }, name: 'Nabywca' },
    netAmount: 100,
    grossAmount: 123,
    vatAmount: 23,
    currency: 'PLN',
    invoicingMode: 'Online',
    invoiceType: 'Vat',
    formCode: { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' },
    isSelfInvoicing: false,
    hasAttachment: false,
    invoiceHash: sha(Buffer.from(i.xml)),
  };
}

type Send = (res: ServerResponse, status: number, body?: unknown, headers?: Record<string, string>) => void;
type Problem = (res: ServerResponse, code: number, description: string) => void;

/** Returns true when it answered the request. */
export function handleExtra(
  ctx: { state: FakeExtraState; base: string; keyFor: (id: string | undefined) => FakeKey | undefined; send: Send; problem: Problem },
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  url: URL,
  raw: Buffer,
): boolean {
  const { state, send, problem } = ctx;
  const json = () => JSON.parse(raw.toString('utf8') || '{}');
  const unwrap = (key: FakeKey, b64: string) => privateDecrypt({ key: createPrivateKey(key.privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(b64, 'base64'));
  let m: RegExpExecArray | null;
  if (method === 'POST' && path === '/sessions/batch') {
    const body = json();
    const key = ctx.keyFor(body.encryption?.publicKeyId);
    if (!key) return problem(res, 21470, 'Przesłany identyfikator klucza jest nieznany.'), true;
    const referenceNumber = ref('SB');
    state.batches.set(referenceNumber, { key: unwrap(key, body.encryption.encryptedSymmetricKey), iv: Buffer.from(body.encryption.initializationVector, 'base64'), parts: new Map(), declared: body.batchFile.fileParts.length, invoices: [], closed: false });
    send(res, 201, {
      referenceNumber,
      partUploadRequests: body.batchFile.fileParts.map((p: { ordinalNumber: number }) => ({ ordinalNumber: p.ordinalNumber, method: 'PUT', url: `${ctx.base}/upload/${referenceNumber}/${p.ordinalNumber}`, headers: { 'x-ms-blob-type': 'BlockBlob' } })),
    });
    return true;
  }
  if (method === 'PUT' && (m = /^\/upload\/([^/]+)\/(\d+)$/.exec(path))) {
    if (req.headers.authorization) return send(res, 400, { title: 'a pre-signed URL takes no token' }), true;
    state.batches.get(m[1] ?? '')?.parts.set(Number(m[2]), raw);
    return send(res, 201), true;
  }
  if (method === 'POST' && (m = /^\/sessions\/batch\/([^/]+)\/close$/.exec(path))) {
    const batch = state.batches.get(m[1] ?? '');
    if (!batch) return problem(res, 21173, 'Brak sesji.'), true;
    if (batch.parts.size !== batch.declared) return problem(res, 21205, 'Pakiet nie może być pusty.'), true;
    const plain = [...batch.parts.entries()].sort(([a], [b]) => a - b).map(([, p]) => {
      const d = createDecipheriv('aes-256-cbc', batch.key, batch.iv);
      return Buffer.concat([d.update(p), d.final()]);
    });
    batch.invoices = Object.values(unpackArchive(Buffer.concat(plain))).map((b) => Buffer.from(b).toString('utf8'));
    batch.closed = true;
    return send(res, 204), true;
  }
  if (method === 'POST' && path === '/invoices/query/metadata') {
    const body = json();
    const pageSize = Number(url.searchParams.get('pageSize') ?? 10);
    const pageOffset = Number(url.searchParams.get('pageOffset') ?? 0);
    const matching = state.seeded.filter((i) => i.permanentStorageDate >= body.dateRange.from).sort((a, b) => a.permanentStorageDate.localeCompare(b.permanentStorageDate));
    const window = matching.slice(0, state.truncateAt);
    const page = window.slice(pageOffset * pageSize, (pageOffset + 1) * pageSize);
    const endOfWindow = (pageOffset + 1) * pageSize >= window.length;
    const isTruncated = matching.length > state.truncateAt && endOfWindow;
    send(res, 200, { hasMore: !endOfWindow || isTruncated, isTruncated, invoices: page.map(metadataOf) });
    return true;
  }
  if (method === 'GET' && (m = /^\/invoices\/ksef\/([^/]+)$/.exec(path))) {
    const found = state.seeded.find((i) => i.ksefNumber === m?.[1]);
    if (!found) return problem(res, 21164, 'Faktura o podanym identyfikatorze nie istnieje.'), true;
    res.writeHead(200, { 'content-type': 'application/xml', 'x-ms-meta-hash': sha(Buffer.from(found.xml)) });
    res.end(found.xml);
    return true;
  }
  if (method === 'POST' && path === '/invoices/exports') {
    const body = json();
    const key = ctx.keyFor(body.encryption?.publicKeyId);
    if (!key) return problem(res, 21470, 'Przesłany identyfikator klucza jest nieznany.'), true;
    const aesKey = unwrap(key, body.encryption.encryptedSymmetricKey);
    const iv = Buffer.from(body.encryption.initializationVector, 'base64');
    const from: string = body.filters.dateRange.from;
    const referenceNumber = ref('EH');
    const eligible = state.seeded.filter((i) => i.permanentStorageDate >= from && i.permanentStorageDate <= state.hwm).sort((a, b) => a.permanentStorageDate.localeCompare(b.permanentStorageDate));
    const chosen = eligible.slice(0, state.truncateAt);
    const isTruncated = eligible.length > chosen.length;
    const files: Record<string, Uint8Array> = { '_metadata.json': Buffer.from(JSON.stringify({ invoices: chosen.map(metadataOf) })) };
    for (const i of chosen) files[`${i.ksefNumber}.xml`] = Buffer.from(i.xml);
    const zip = Buffer.from(zipSync(files));
    const cut = Math.ceil(zip.length / 2);
    const plainParts = [zip.subarray(0, cut), zip.subarray(cut)];
    const parts = plainParts.map((p) => {
      const c = createCipheriv('aes-256-cbc', aesKey, iv);
      return Buffer.concat([c.update(p), c.final()]);
    });
    state.exports.set(referenceNumber, {
      parts,
      body: {
        status: { code: 200, description: 'Eksport zakończony' },
        completedDate: new Date().toISOString(),
        package: {
          invoiceCount: chosen.length,
          size: zip.length,
          isTruncated,
          lastPermanentStorageDate: chosen.at(-1)?.permanentStorageDate ?? null,
          permanentStorageHwmDate: state.hwm,
          parts: parts.map((p, n) => ({ ordinalNumber: n + 1, partName: `${referenceNumber}-00${n + 1}.zip.aes`, method: 'GET', url: `${ctx.base}/download/${referenceNumber}/${n}`, partSize: plainParts[n]?.length, partHash: sha(plainParts[n] ?? Buffer.alloc(0)), encryptedPartSize: p.length, encryptedPartHash: sha(p), expirationDate: new Date(Date.now() + 3_600_000).toISOString() })),
        },
      },
    });
    send(res, 201, { referenceNumber });
    return true;
  }
  if (method === 'GET' && (m = /^\/invoices\/exports\/([^/]+)$/.exec(path))) {
    const found = state.exports.get(m[1] ?? '');
    if (!found) return problem(res, 21175, 'Wynik zapytania o podanym identyfikatorze nie istnieje.'), true;
    return send(res, 200, found.body), true;
  }
  if (method === 'GET' && (m = /^\/download\/([^/]+)\/(\d+)$/.exec(path))) {
    const part = state.exports.get(m[1] ?? '')?.parts[Number(m[2])];
    res.writeHead(part ? 200 : 404);
    res.end(part);
    return true;
  }
  return false;
}
