import { constants, createHash, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesDecrypt,
  aesEncrypt,
  encryptInvoice,
  encryptionInfo,
  encryptKsefToken,
  generateSymmetricKey,
  sha256Base64,
} from '../../functions/adapters/ksef/client/crypto/primitives.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const oaepDecrypt = (b64: string) => privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(b64, 'base64'));

describe('KSeF client cryptography', () => {
  it('AES-256-CBC encryption round-trips and adds only PKCS#7 padding, no IV prefix', () => {
    // Prepare
    const secret = generateSymmetricKey();
    const plain = Buffer.from('<Faktura>zażółć gęślą jaźń</Faktura>', 'utf8');
    // Act
    const encrypted = aesEncrypt(secret, plain);
    // Assess
    expect(secret.key).toHaveLength(32);
    expect(secret.iv).toHaveLength(16);
    expect(encrypted.byteLength).toBe(Math.ceil((plain.byteLength + 1) / 16) * 16);
    expect(aesDecrypt(secret, encrypted).equals(plain)).toBe(true);
  });

  it('a fresh key and IV are drawn for every session', () => {
    const a = generateSymmetricKey();
    const b = generateSymmetricKey();
    expect(a.key.equals(b.key)).toBe(false);
    expect(a.iv.equals(b.iv)).toBe(false);
  });

  it('the wrapped symmetric key decrypts with RSA-OAEP SHA-256 to the session key', () => {
    const secret = generateSymmetricKey();
    const info = encryptionInfo(rsa.publicKey, 'key-id', secret);
    expect(oaepDecrypt(info.encryptedSymmetricKey).equals(secret.key)).toBe(true);
    expect(Buffer.from(info.initializationVector, 'base64').equals(secret.iv)).toBe(true);
    expect(info.publicKeyId).toBe('key-id');
  });

  it('the KSeF token is encrypted as token|timestampMs of the challenge', () => {
    const encrypted = encryptKsefToken(rsa.publicKey, '20251010-EC-ABC|nip-5265877635|deadbeef', 1_747_000_000_123);
    expect(oaepDecrypt(encrypted).toString('utf8')).toBe('20251010-EC-ABC|nip-5265877635|deadbeef|1747000000123');
  });

  it('an invoice is described by base64 SHA-256 hashes and byte sizes of its plain and encrypted forms', () => {
    const secret = generateSymmetricKey();
    const xml = '<?xml version="1.0" encoding="UTF-8"?><Faktura>ą</Faktura>';
    const sent = encryptInvoice(secret, xml);
    const plain = Buffer.from(xml, 'utf8');
    const encrypted = Buffer.from(sent.encryptedInvoiceContent, 'base64');
    expect(sent.invoiceSize).toBe(plain.byteLength);
    expect(sent.invoiceHash).toBe(createHash('sha256').update(plain).digest('base64'));
    expect(sent.encryptedInvoiceSize).toBe(encrypted.byteLength);
    expect(sent.encryptedInvoiceHash).toBe(sha256Base64(encrypted));
    expect(aesDecrypt(secret, encrypted).toString('utf8')).toBe(xml);
  });
});
