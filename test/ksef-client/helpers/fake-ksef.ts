/**
 * A small KSeF stand-in on 127.0.0.1 for the client's flow tests until the simulator lands: real RSA-OAEP
 * and AES, real XAdES verification, both error formats, and the faults the client must survive. Only
 * what the tests need; the simulator (functions/ksef-sim) is the faithful one.
 */
import { constants, createDecipheriv, createHash, createPrivateKey, privateDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { createTestCertificate } from '../../../functions/adapters/ksef/client/auth/test-certificate.js';
import { withEcdsa } from '../../../functions/adapters/ksef/client/auth/xades-sign.js';
import { handleExtra, newExtraState, type FakeExtraState } from './fake-ksef-extra.js';

export interface FakeKey {
  readonly publicKeyId: string;
  readonly certificate: string;
  readonly privateKeyPem: string;
}

export async function makeFakeKey(): Promise<FakeKey> {
  const { certificatePem, privateKeyPem } = await createTestCertificate({ nip: '1111111111', keyType: 'RSA', commonName: 'Ministerstwo Finansów' });
  const x = new X509Certificate(certificatePem);
  const spki = x.publicKey.export({ format: 'der', type: 'spki' });
  return { publicKeyId: createHash('sha256').update(spki).digest('base64'), certificate: x.raw.toString('base64'), privateKeyPem };
}

interface FakeInvoice {
  ordinalNumber: number;
  referenceNumber: string;
  invoiceHash: string;
  ksefNumber: string;
  xml: string;
}

interface FakeSession {
  key: Buffer;
  iv: Buffer;
  open: boolean;
  invoices: FakeInvoice[];
}

export interface FakeKsef {
  readonly url: string;
  readonly sessions: Map<string, FakeSession>;
  readonly extra: FakeExtraState;
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
  readonly faults: {
    /** The next N invoice sends are processed, then the connection is dropped without a response. */
    loseSendResponses: number;
    /** The next N requests whose path ends with `suffix` get 429 with `Retry-After: retryAfter`. */
    rateLimit?: { suffix: string; count: number; retryAfter: number };
    /** Sent as `X-System-Warning` on every response. */
    systemWarning?: string;
  };
  /** Replace the published keys (rotation); keys no longer published answer 21470. */
  publish(keys: FakeKey[]): void;
  close(): Promise<void>;
}

const ref = (type: string) => `20261125-${type}-${randomBytes(5).toString('hex').toUpperCase()}-${randomBytes(5).toString('hex').toUpperCase()}-${randomBytes(1).toString('hex').toUpperCase()}`;

export async function startFakeKsef(options: { nip: string; ksefToken: string; keys: FakeKey[] }): Promise<FakeKsef> {
  let published = options.keys;
  const challenges = new Map<string, number>();
  const auths = new Map<string, { operationToken: string; redeemed: boolean }>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const sessions = new Map<string, FakeSession>();
  const requests: FakeKsef['requests'] = [];
  const faults: FakeKsef['faults'] = { loseSendResponses: 0 };
  const extra = newExtraState();
  let base = '';

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...(faults.systemWarning ? { 'x-system-warning': faults.systemWarning } : {}), ...(body === undefined ? {} : { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  };
  const problem = (res: ServerResponse, code: number, description: string) =>
    send(res, 400, { title: 'Bad Request', status: 400, errors: [{ code, description, details: [] }], timestamp: new Date().toISOString(), traceId: 'fake' });
  const keyFor = (id: string | undefined) => published.find((k) => k.publicKeyId === id);
  const unwrap = (key: FakeKey, b64: string) => privateDecrypt({ key: createPrivateKey(key.privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(b64, 'base64'));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
  const beginAuth = (res: ServerResponse) => {
    const referenceNumber = ref('AU');
    const operationToken = randomBytes(16).toString('hex');
    auths.set(referenceNumber, { operationToken, redeemed: false });
    send(res, 202, { referenceNumber, authenticationToken: { token: operationToken, validUntil: new Date(Date.now() + 600_000).toISOString() } });
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/v2/, '');
    const method = req.method ?? 'GET';
    requests.push({ method, path, headers: req.headers });
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const json = () => JSON.parse(raw.toString('utf8') || '{}');
    const rl = faults.rateLimit;
    if (rl && rl.count > 0 && path.endsWith(rl.suffix)) {
      rl.count--;
      return send(res, 429, { title: 'Too Many Requests', status: 429, detail: 'Przekroczono limit' }, { 'retry-after': String(rl.retryAfter) });
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/security/public-key-certificates') {
      return send(res, 200, published.map((k) => ({ certificate: k.certificate, certificateId: k.publicKeyId, publicKeyId: k.publicKeyId, validFrom: '2025-01-01T00:00:00Z', validTo: '2099-01-01T00:00:00Z', usage: ['KsefTokenEncryption', 'SymmetricKeyEncryption'] })));
    }
    if (method === 'POST' && path === '/auth/challenge') {
      const challenge = `20261125-CR-${randomBytes(5).toString('hex').toUpperCase()}-${randomBytes(5).toString('hex').toUpperCase()}-00`;
      const timestampMs = Date.now();
      challenges.set(challenge, timestampMs);
      return send(res, 200, { challenge, timestamp: new Date(timestampMs).toISOString(), timestampMs, clientIp: '127.0.0.1' });
    }
    if (method === 'POST' && path === '/auth/ksef-token') {
      const body = json();
      const key = keyFor(body.publicKeyId);
      if (!key) return problem(res, 21470, 'Przesłany identyfikator klucza jest nieznany lub wskazuje na wycofany klucz.');
      const ts = challenges.get(body.challenge);
      if (ts === undefined || body.contextIdentifier?.value !== options.nip) return problem(res, 21111, 'Nieprawidłowe wyzwanie autoryzacyjne.');
      if (unwrap(key, body.encryptedToken).toString('utf8') !== `${options.ksefToken}|${ts}`) return problem(res, 21111, 'Nieprawidłowy token.');
      challenges.delete(body.challenge);
      return beginAuth(res);
    }
    if (method === 'POST' && path === '/auth/xades-signature') {
      const xml = raw.toString('utf8');
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      const certB64 = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]?.textContent ?? '';
      const verifier = withEcdsa(new SignedXml({ publicCert: new X509Certificate(Buffer.from(certB64, 'base64')).toString() }));
      const signature = verifier.findSignatures(doc)[0];
      if (!signature) return problem(res, 9102, 'Brak podpisu.');
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) return problem(res, 9105, 'Nieprawidłowy podpis.');
      const challenge = doc.getElementsByTagName('Challenge')[0]?.textContent ?? '';
      const nip = doc.getElementsByTagName('Nip')[0]?.textContent;
      if (!challenges.delete(challenge) || nip !== options.nip) return problem(res, 21111, 'Nieprawidłowe wyzwanie autoryzacyjne.');
      return beginAuth(res);
    }
    if (method === 'GET' && (m = /^\/auth\/([^/]+)$/.exec(path)) && m[1] !== 'sessions') {
      const auth = auths.get(m[1] ?? '');
      if (!auth || auth.operationToken !== bearer) return send(res, 401, { title: 'Unauthorized', status: 401 });
      return send(res, 200, { startDate: new Date().toISOString(), authenticationMethod: 'Token', authenticationMethodInfo: { category: 'Token', code: 'token', displayName: 'Token' }, status: { code: 200, description: 'Uwierzytelnianie zakończone sukcesem' } });
    }
    if (method === 'POST' && path === '/auth/token/redeem') {
      const auth = [...auths.values()].find((a) => a.operationToken === bearer);
      if (!auth || auth.redeemed) return problem(res, 21301, 'Brak autoryzacji.');
      auth.redeemed = true;
      const access = randomBytes(16).toString('hex');
      const refresh = randomBytes(16).toString('hex');
      accessTokens.add(access);
      refreshTokens.add(refresh);
      return send(res, 200, { accessToken: { token: access, validUntil: new Date(Date.now() + 900_000).toISOString() }, refreshToken: { token: refresh, validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
    }
    if (method === 'POST' && path === '/auth/token/refresh') {
      if (!refreshTokens.has(bearer)) return problem(res, 21301, 'Brak autoryzacji.');
      const access = randomBytes(16).toString('hex');
      accessTokens.add(access);
      return send(res, 200, { accessToken: { token: access, validUntil: new Date(Date.now() + 900_000).toISOString() } });
    }
    if (method === 'PUT' || path.startsWith('/download/')) {
      if (handleExtra({ state: extra, base, keyFor, send, problem }, req, res, method, path, url, raw)) return;
    }
    if (!accessTokens.has(bearer)) return send(res, 401, { title: 'Unauthorized', status: 401, detail: 'no access token' });

    if (method === 'GET' && path === '/rate-limits') {
      const v = { perSecond: 100, perMinute: 1000, perHour: 10000 };
      return send(res, 200, Object.fromEntries(['onlineSession', 'batchSession', 'invoiceSend', 'invoiceStatus', 'sessionList', 'sessionInvoiceList', 'sessionMisc', 'invoiceMetadata', 'invoiceExport', 'invoiceExportStatus', 'invoiceDownload', 'other'].map((g) => [g, v])));
    }
    if (method === 'POST' && path === '/sessions/online') {
      const body = json();
      const key = keyFor(body.encryption?.publicKeyId);
      if (!key) return problem(res, 21470, 'Przesłany identyfikator klucza jest nieznany lub wskazuje na wycofany klucz.');
      const referenceNumber = ref('SO');
      sessions.set(referenceNumber, { key: unwrap(key, body.encryption.encryptedSymmetricKey), iv: Buffer.from(body.encryption.initializationVector, 'base64'), open: true, invoices: [] });
      return send(res, 201, { referenceNumber, validUntil: new Date(Date.now() + 12 * 3_600_000).toISOString() });
    }
    if (method === 'POST' && (m = /^\/sessions\/online\/([^/]+)\/invoices$/.exec(path))) {
      const session = sessions.get(m[1] ?? '');
      if (!session) return problem(res, 21173, 'Brak sesji o wskazanym numerze referencyjnym.');
      const body = json();
      const encrypted = Buffer.from(body.encryptedInvoiceContent, 'base64');
      if (sha(encrypted) !== body.encryptedInvoiceHash) return problem(res, 21403, 'Nieprawidłowy skrót pliku.');
      const decipher = createDecipheriv('aes-256-cbc', session.key, session.iv);
      const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
      if (sha(plain) !== body.invoiceHash || plain.byteLength !== body.invoiceSize) return problem(res, 21403, 'Nieprawidłowy skrót pliku.');
      const invoice: FakeInvoice = { ordinalNumber: session.invoices.length + 1, referenceNumber: ref('EE'), invoiceHash: body.invoiceHash, ksefNumber: `${options.nip}-20261125-${randomBytes(6).toString('hex').toUpperCase()}-00`, xml: plain.toString('utf8') };
      session.invoices.push(invoice);
      if (faults.loseSendResponses > 0) {
        faults.loseSendResponses--;
        return req.socket.destroy();
      }
      return send(res, 202, { referenceNumber: invoice.referenceNumber });
    }
    if (method === 'POST' && (m = /^\/sessions\/online\/([^/]+)\/close$/.exec(path))) {
      const session = sessions.get(m[1] ?? '');
      if (!session?.open) return problem(res, 21180, 'Status sesji nie pozwala na wykonanie operacji.');
      session.open = false;
      return send(res, 204);
    }
    const status = (i: FakeInvoice) => ({ ordinalNumber: i.ordinalNumber, referenceNumber: i.referenceNumber, invoiceHash: i.invoiceHash, ksefNumber: i.ksefNumber, invoicingDate: new Date().toISOString(), acquisitionDate: new Date().toISOString(), status: { code: 200, description: 'Sukces' } });
    if (method === 'GET' && (m = /^\/sessions\/([^/]+)\/invoices$/.exec(path))) {
      const session = sessions.get(m[1] ?? '');
      if (!session) return problem(res, 21173, 'Brak sesji o wskazanym numerze referencyjnym.');
      const pageSize = Number(url.searchParams.get('pageSize') ?? 10);
      const offset = Number(req.headers['x-continuation-token'] ?? 0);
      const page = session.invoices.slice(offset, offset + Math.min(pageSize, 2));
      const next = offset + page.length;
      return send(res, 200, { invoices: page.map(status), ...(next < session.invoices.length ? { continuationToken: String(next) } : {}) });
    }
    if (method === 'GET' && (m = /^\/sessions\/([^/]+)\/invoices\/([^/]+)(\/upo)?$/.exec(path))) {
      const invoice = sessions.get(m[1] ?? '')?.invoices.find((i) => i.referenceNumber === m?.[2]);
      if (!invoice) return problem(res, 21178, 'Nie znaleziono UPO dla podanych kryteriów.');
      if (!m[3]) return send(res, 200, status(invoice));
      const upo = `<?xml version="1.0" encoding="UTF-8"?><Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3"><Dokument><NumerKSeFDokumentu>${invoice.ksefNumber}</NumerKSeFDokumentu></Dokument></Potwierdzenie>`;
      res.writeHead(200, { 'content-type': 'application/xml', 'x-ms-meta-hash': sha(Buffer.from(upo)) });
      return res.end(upo);
    }
    if (method === 'GET' && (m = /^\/sessions\/([^/]+)$/.exec(path))) {
      const session = sessions.get(m[1] ?? '');
      if (!session) return problem(res, 21173, 'Brak sesji o wskazanym numerze referencyjnym.');
      const code = session.open ? 100 : 200;
      return send(res, 200, { status: { code, description: session.open ? 'Sesja otwarta' : 'Sesja przetworzona' }, dateCreated: new Date().toISOString(), dateUpdated: new Date().toISOString(), invoiceCount: session.invoices.length, successfulInvoiceCount: session.invoices.length, failedInvoiceCount: 0 });
    }
    if (handleExtra({ state: extra, base, keyFor, send, problem }, req, res, method, path, url, raw)) return;
    return send(res, 404, { title: 'Not Found', status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/v2`;
  return {
    extra,
    url: `http://127.0.0.1:${port}/v2`,
    sessions,
    requests,
    faults,
    publish: (keys) => {
      published = keys;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
