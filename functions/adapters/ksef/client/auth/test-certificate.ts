import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A name as RDNs in DER order (most general first): each RDN maps attribute types (OIDs or short names) to typed values. */
export type TestName = x509.JsonNameParams;

export interface TestCertificateOptions {
  readonly nip: string;
  readonly keyType?: 'RSA' | 'EC';
  /** RSA modulus length; 2048 unless a test needs a key KSeF refuses. */
  readonly rsaBits?: number;
  /** `seal`: organizationIdentifier VATPL-<NIP> (a company seal); `person`: serialNumber TINPL-<NIP>. */
  readonly subject?: 'seal' | 'person';
  readonly commonName?: string;
  /** The whole subject instead of the one `subject` describes. */
  readonly subjectName?: TestName;
  /** Another issuer than the subject (the certificate is still signed by its own key). */
  readonly issuerName?: TestName;
  readonly validDays?: number;
  readonly now?: Date;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** A value typed as a CA would: PrintableString when its characters allow, else UTF8String. */
export function nameValue(text: string): x509.JsonAttributeObject {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text) ? { printableString: text } : { utf8String: text };
}

function subjectOf(options: TestCertificateOptions): TestName {
  if (options.subjectName) return options.subjectName;
  const cn = options.commonName ?? `KSeF test ${options.nip}`;
  if (options.subject === 'person') {
    return [{ C: [nameValue('PL')] }, { SN: [nameValue('Testowy')] }, { G: [nameValue('Jan')] }, { '2.5.4.5': [nameValue(`TINPL-${options.nip}`)] }, { CN: [nameValue(cn)] }];
  }
  return [{ C: [nameValue('PL')] }, { O: [nameValue(`Test ${options.nip}`)] }, { '2.5.4.97': [nameValue(`VATPL-${options.nip}`)] }, { CN: [nameValue(cn)] }];
}

type Algorithm = RsaHashedKeyGenParams | EcKeyGenParams;

// RSA keys take a while to generate: one pair per size serves every RSA certificate of a test run.
const rsaKeys = new Map<number, Promise<webcrypto.CryptoKeyPair>>();

function keyPair(algorithm: Algorithm): Promise<webcrypto.CryptoKeyPair> {
  const generate = () => webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
  if (!('modulusLength' in algorithm)) return generate();
  let keys = rsaKeys.get(algorithm.modulusLength);
  if (keys === undefined) {
    keys = generate();
    rsaKeys.set(algorithm.modulusLength, keys);
  }
  return keys;
}

/**
 * A signing certificate with the NIP in the subject, as the KSeF TEST environment (and the simulator)
 * accept for XAdES logins. Not for DEMO or PROD, which want a qualified or KSeF certificate.
 */
export async function createTestCertificate(options: TestCertificateOptions): Promise<TestCertificate> {
  x509.cryptoProvider.set(webcrypto as never);
  const algorithm: Algorithm =
    options.keyType === 'EC'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: options.rsaBits ?? 2048 };
  const keys = await keyPair(algorithm);
  const now = options.now ?? new Date();
  const subject = new x509.Name(subjectOf(options));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    subject,
    issuer: options.issuerName ? new x509.Name(options.issuerName) : subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validDays ?? 365) * 86_400_000),
    signingAlgorithm: options.keyType === 'EC' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm,
    publicKey: keys.publicKey as never,
    signingKey: keys.privateKey as never,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { certificatePem: cert.toString('pem'), privateKeyPem };
}
