import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface TestCertificateOptions {
  readonly nip: string;
  readonly keyType?: 'RSA' | 'EC';
  /** `seal`: organizationIdentifier VATPL-<NIP> (a company seal); `person`: serialNumber TINPL-<NIP>. */
  readonly subject?: 'seal' | 'person';
  readonly commonName?: string;
  readonly validDays?: number;
  readonly now?: Date;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * A self-signed signing certificate with the NIP in the subject, as the KSeF TEST environment (and the
 * simulator) accept for XAdES logins. Not for DEMO or PROD, which want a qualified or KSeF certificate.
 */
export async function createTestCertificate(options: TestCertificateOptions): Promise<TestCertificate> {
  x509.cryptoProvider.set(webcrypto as never);
  const algorithm =
    options.keyType === 'EC'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = options.now ?? new Date();
  const cn = options.commonName ?? `KSeF test ${options.nip}`;
  const identifier = options.subject === 'person' ? `2.5.4.5=TINPL-${options.nip}` : `2.5.4.97=VATPL-${options.nip}`;
  const name = options.subject === 'person' ? `C=PL, 2.5.4.4=Testowy, 2.5.4.42=Jan, ${identifier}, CN=${cn}` : `C=PL, O=Test ${options.nip}, ${identifier}, CN=${cn}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validDays ?? 365) * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { certificatePem: cert.toString('pem'), privateKeyPem };
}
