import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KsefConfigurationError } from '../../../../ports/ksef-errors.js';
import type { KsefCredentials, SubjectIdentifierType } from './credentials.js';

/**
 * Reads the certificate and private key out of a PKCS#12 (.p12/.pfx) file. node-forge decodes the
 * container; node:crypto takes over from the DER, so EC keys work even where forge has no EC support.
 */
export function readPkcs12(bytes: Uint8Array, password: string): { certificate: X509Certificate; privateKey: KeyObject } {
  const der = forge.util.createBuffer(Buffer.from(bytes).toString('binary'));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, password);
  const keyBag = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag!] ?? []),
  ][0];
  if (!keyBag) throw new Error('the PKCS#12 file holds no private key');
  const keyDer = keyBag.key
    ? forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key))).getBytes()
    : forge.asn1.toDer(keyBag.asn1 as forge.asn1.Asn1).getBytes();
  const privateKey = createPrivateKey({ key: Buffer.from(keyDer, 'binary'), format: 'der', type: 'pkcs8' });
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag!] ?? [];
  const certificates = certBags.map((bag) =>
    new X509Certificate(Buffer.from(bag.cert ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes() : forge.asn1.toDer(bag.asn1 as forge.asn1.Asn1).getBytes(), 'binary')),
  );
  const certificate = certificates.find((c) => c.checkPrivateKey(privateKey));
  if (!certificate) throw new Error('the PKCS#12 file holds no certificate for its private key');
  return { certificate, privateKey };
}

/**
 * Certificate credentials (PEM) from a PKCS#12 file. Done once at configuration time, so the client
 * itself needs no PKCS#12 code (and node-forge stays out of the Lambda bundles).
 */
export function credentialsFromPkcs12(bytes: Uint8Array, password: string, subjectIdentifierType?: SubjectIdentifierType): Extract<KsefCredentials, { kind: 'certificate' }> {
  try {
    const { certificate, privateKey } = readPkcs12(bytes, password);
    return {
      kind: 'certificate',
      certificatePem: certificate.toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ...(subjectIdentifierType ? { subjectIdentifierType } : {}),
    };
  } catch (error) {
    throw new KsefConfigurationError(`The PKCS#12 file cannot be read: ${(error as Error).message}`, { cause: error });
  }
}
