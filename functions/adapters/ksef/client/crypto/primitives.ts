import { constants, createCipheriv, createDecipheriv, createHash, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

/** Invoice XML or any payload: strings are taken as UTF-8 (KSeF wants UTF-8 without BOM). */
export function toBytes(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** Base64 SHA-256, the form of every KSeF hash field (`invoiceHash`, `fileHash`, `x-ms-meta-hash`). */
export function sha256Base64(content: string | Uint8Array): string {
  return createHash('sha256').update(toBytes(content)).digest('base64');
}

export interface SymmetricKey {
  readonly key: Buffer;
  readonly iv: Buffer;
}

/** A fresh AES-256 key and IV; one pair serves a whole session (README §3). */
export function generateSymmetricKey(): SymmetricKey {
  return { key: randomBytes(32), iv: randomBytes(16) };
}

/** AES-256-CBC with PKCS#7 padding; the IV is NOT prefixed to the ciphertext (README §3). */
export function aesEncrypt(secret: SymmetricKey, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-cbc', secret.key, secret.iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

export function aesDecrypt(secret: SymmetricKey, encrypted: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', secret.key, secret.iv);
  return Buffer.concat([decipher.update(encrypted), decipher.final()]);
}

/** RSAES-OAEP with SHA-256 and MGF1-SHA-256, as KSeF requires for keys and tokens. */
export function rsaOaepEncrypt(publicKey: KeyObject, data: Uint8Array): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);
}

/** `encryptedToken` of POST /auth/ksef-token: `token|timestampMs` of the challenge (README §2.2). */
export function encryptKsefToken(publicKey: KeyObject, ksefToken: string, challengeTimestampMs: number): string {
  return rsaOaepEncrypt(publicKey, Buffer.from(`${ksefToken}|${challengeTimestampMs}`, 'utf8')).toString('base64');
}

/** The `encryption` object of session opening and export requests. */
export function encryptionInfo(publicKey: KeyObject, publicKeyId: string, secret: SymmetricKey) {
  return {
    encryptedSymmetricKey: rsaOaepEncrypt(publicKey, secret.key).toString('base64'),
    initializationVector: secret.iv.toString('base64'),
    publicKeyId,
  };
}

/** Encrypts one invoice and describes it the way SendInvoiceRequest wants. */
export function encryptInvoice(secret: SymmetricKey, xml: string | Uint8Array) {
  const plain = toBytes(xml);
  const encrypted = aesEncrypt(secret, plain);
  return {
    invoiceHash: sha256Base64(plain),
    invoiceSize: plain.byteLength,
    encryptedInvoiceHash: sha256Base64(encrypted),
    encryptedInvoiceSize: encrypted.byteLength,
    encryptedInvoiceContent: encrypted.toString('base64'),
  };
}
