import 'reflect-metadata';
import { createHash, generateKeyPairSync, privateDecrypt, constants, type KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { badRequest } from '../http/api-error.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const PublicKeyUsage = {
  ksefTokenEncryption: 'KsefTokenEncryption',
  symmetricKeyEncryption: 'SymmetricKeyEncryption',
} as const;
export type PublicKeyUsage = (typeof PublicKeyUsage)[keyof typeof PublicKeyUsage];

export interface SimPublicKey {
  readonly certificateDer: Buffer;
  /** base64 SHA-256 of the certificate DER. */
  readonly certificateId: string;
  /** base64 SHA-256 of the SubjectPublicKeyInfo DER; survives a certificate renewal. */
  readonly publicKeyId: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly usage: readonly PublicKeyUsage[];
  readonly privateKey: KeyObject;
  withdrawn: boolean;
}

const DAY = 86_400_000;

/** The Ministry's encryption keys as the simulator publishes them: real RSA-2048 in self-signed X.509. */
export class PublicKeyRing {
  private readonly keys: SimPublicKey[] = [];

  /** Creates a key pair and a self-signed certificate (subject CN=Ministerstwo Finansów). */
  async issue(usage: readonly PublicKeyUsage[], validFrom: Date, validForDays = 730): Promise<SimPublicKey> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const keys = {
      publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, ['verify']),
      privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, true, ['sign']),
    };
    const validTo = new Date(validFrom.getTime() + validForDays * DAY);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: createHash('sha256').update(`${Date.now()}-${Math.random()}`).digest('hex').slice(0, 16),
      name: 'CN=Ministerstwo Finansów, O=KSeF simulator, C=PL',
      notBefore: validFrom,
      notAfter: validTo,
      keys: keys as CryptoKeyPair,
      signingAlgorithm: algorithm,
    });
    const certificateDer = Buffer.from(cert.rawData);
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const key: SimPublicKey = {
      certificateDer,
      certificateId: createHash('sha256').update(certificateDer).digest('base64'),
      publicKeyId: createHash('sha256').update(spki).digest('base64'),
      validFrom,
      validTo,
      usage: [...usage],
      privateKey,
      withdrawn: false,
    };
    this.keys.push(key);
    return key;
  }

  /** Published certificates: every key not withdrawn. */
  published(): readonly SimPublicKey[] {
    return this.keys.filter((k) => !k.withdrawn);
  }

  all(): readonly SimPublicKey[] {
    return this.keys;
  }

  /** An emergency rotation: the key disappears from the list and requests that name it get 21470. */
  withdraw(publicKeyId: string): void {
    for (const k of this.keys) if (k.publicKeyId === publicKeyId) k.withdrawn = true;
  }

  /** The key a client would pick now: right usage, valid, latest validFrom. */
  current(usage: PublicKeyUsage, now: Date): SimPublicKey | undefined {
    return this.published()
      .filter((k) => k.usage.includes(usage) && k.validFrom <= now && now <= k.validTo)
      .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0];
  }

  /**
   * RSA-OAEP-SHA256 decryption. With `publicKeyId` the named key must be published (else 21470);
   * without it every published key of that usage is tried, newest first.
   */
  decrypt(usage: PublicKeyUsage, ciphertext: Buffer, publicKeyId: string | null | undefined, now: Date): Buffer | null {
    let candidates: SimPublicKey[];
    if (publicKeyId) {
      const named = this.keys.find((k) => k.publicKeyId === publicKeyId && k.usage.includes(usage));
      if (!named || named.withdrawn || now > named.validTo) throw badRequest('unknownKey', `Klucz ${publicKeyId} jest nieznany lub wycofany.`);
      candidates = [named];
    } else {
      candidates = this.published().filter((k) => k.usage.includes(usage) && now <= k.validTo);
    }
    for (const key of candidates) {
      try {
        return privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ciphertext);
      } catch {
        // Not encrypted for this key; a withdrawn key's ciphertext ends up here too.
      }
    }
    return null;
  }
}
