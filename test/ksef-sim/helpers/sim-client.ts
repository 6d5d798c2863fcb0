import { constants, createCipheriv, createHash, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';

/** Minimal client-side crypto and calls for the simulator's tests (the real client lives elsewhere). */
export const sha256b64 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

export function aes(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

export interface Call {
  status: number;
  headers: Headers;
  body: any;  
  text: string;
}

export async function call(url: string, init: { method?: string; token?: string; json?: unknown; body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<Call> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: init.method ?? (init.json !== undefined || init.body ? 'POST' : 'GET'), headers, body: init.json !== undefined ? JSON.stringify(init.json) : (init.body as BodyInit | undefined) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // XML or empty
  }
  return { status: res.status, headers: res.headers, body, text };
}

export async function publicKey(base: string, usage: string): Promise<{ pem: string; publicKeyId: string }> {
  const list = (await call(`${base}/security/public-key-certificates`)).body as { certificate: string; usage: string[]; publicKeyId: string; validFrom: string }[];
  const cert = list.filter((c) => c.usage.includes(usage)).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0]!;
  return { pem: new X509Certificate(Buffer.from(cert.certificate, 'base64')).publicKey.export({ type: 'spki', format: 'pem' }) as string, publicKeyId: cert.publicKeyId };
}

export const rsaOaep = (pem: string, data: Buffer) => publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);

/** Token login: challenge → encrypted token → poll → redeem. */
export async function loginWithToken(base: string, nip: string, ksefToken: string) {
  const challenge = (await call(`${base}/auth/challenge`, { method: 'POST' })).body;
  const key = await publicKey(base, 'KsefTokenEncryption');
  const encryptedToken = rsaOaep(key.pem, Buffer.from(`${ksefToken}|${challenge.timestampMs}`)).toString('base64');
  const init = await call(`${base}/auth/ksef-token`, { json: { challenge: challenge.challenge, contextIdentifier: { type: 'Nip', value: nip }, encryptedToken, publicKeyId: key.publicKeyId } });
  const operationToken = init.body.authenticationToken.token as string;
  const status = await call(`${base}/auth/${init.body.referenceNumber}`, { token: operationToken });
  const redeem = await call(`${base}/auth/token/redeem`, { method: 'POST', token: operationToken });
  return { init, status, redeem, operationToken, accessToken: redeem.body?.accessToken?.token as string, refreshToken: redeem.body?.refreshToken?.token as string };
}

export async function openOnline(base: string, accessToken: string) {
  const key = randomBytes(32);
  const iv = randomBytes(16);
  const pub = await publicKey(base, 'SymmetricKeyEncryption');
  const res = await call(`${base}/sessions/online`, {
    token: accessToken,
    json: { formCode: { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' }, encryption: { encryptedSymmetricKey: rsaOaep(pub.pem, key).toString('base64'), initializationVector: iv.toString('base64'), publicKeyId: pub.publicKeyId } },
  });
  return { res, key, iv, ref: res.body.referenceNumber as string };
}

export function sendBody(key: Buffer, iv: Buffer, xml: string) {
  const plain = Buffer.from(xml, 'utf8');
  const enc = aes(key, iv, plain);
  return { invoiceHash: sha256b64(plain), invoiceSize: plain.length, encryptedInvoiceHash: sha256b64(enc), encryptedInvoiceSize: enc.length, encryptedInvoiceContent: enc.toString('base64'), offlineMode: false };
}
