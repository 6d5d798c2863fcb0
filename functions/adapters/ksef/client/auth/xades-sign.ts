import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyLike, type X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { SigningIdentity } from './credentials.js';
import { issuerName } from './issuer-name.js';

const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/** ECDSA-SHA256 for xml-crypto; KSeF wants `SignatureValue` as R‖S (IEEE P1363), not DER (README §2.4). */
class EcdsaSha256 {
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    return sign('sha256', Buffer.from(signedInfo), { key: typeof privateKey === 'string' || Buffer.isBuffer(privateKey) ? createPrivateKey(privateKey) : (privateKey as ReturnType<typeof createPrivateKey>), dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    return verify('sha256', Buffer.from(material), { key: typeof key === 'string' || Buffer.isBuffer(key) ? createPublicKey(key) : (key as ReturnType<typeof createPublicKey>), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

/** Registers ECDSA-SHA256 on a SignedXml, for signing and for verifying (e.g. in tests or the simulator). */
export function withEcdsa(sig: SignedXml): SignedXml {
  (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
  return sig;
}

/** Text content: an RFC 4514 name has no control characters left, but may hold `&`, `<` and `>`. */
const escapeXmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function qualifyingProperties(cert: X509Certificate, signatureId: string, signedPropertiesId: string, signingTime: Date): string {
  const certDigest = createHash('sha256').update(cert.raw).digest('base64');
  const serial = BigInt(`0x${cert.serialNumber}`).toString(10);
  const time = signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `<xades:QualifyingProperties xmlns:xades="${XADES}" Target="#${signatureId}">` +
    `<xades:SignedProperties Id="${signedPropertiesId}">` +
    `<xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${time}</xades:SigningTime>` +
    `<xades:SigningCertificate><xades:Cert>` +
    `<xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerial><ds:X509IssuerName>${escapeXmlText(issuerName(cert))}</ds:X509IssuerName><ds:X509SerialNumber>${serial}</ds:X509SerialNumber></xades:IssuerSerial>` +
    `</xades:Cert></xades:SigningCertificate>` +
    `</xades:SignedSignatureProperties>` +
    `</xades:SignedProperties>` +
    `</xades:QualifyingProperties>`
  );
}

/**
 * Signs an XML document XAdES-BES, enveloped: one reference to the whole document (enveloped-signature
 * + exclusive c14n), one to SignedProperties (SigningTime, SigningCertificate digest), the certificate
 * in KeyInfo. RSA keys sign RSA-SHA256 (PKCS#1 v1.5), EC P-256 keys ECDSA-SHA256 in P1363 form.
 */
export function signXades(xml: string, identity: SigningIdentity, signingTime: Date): string {
  const id = randomUUID();
  const signatureId = `Signature-${id}`;
  const signedPropertiesId = `SignedProperties-${id}`;
  const isEc = identity.privateKey.asymmetricKeyType === 'ec';
  const sig = withEcdsa(
    new SignedXml({
      privateKey: identity.privateKey,
      publicCert: identity.certificate.toString(),
      signatureAlgorithm: isEc ? ECDSA_SHA256 : RSA_SHA256,
      canonicalizationAlgorithm: EXC_C14N,
      objects: [{ content: qualifyingProperties(identity.certificate, signatureId, signedPropertiesId, signingTime) }],
    }),
  );
  sig.addReference({ xpath: '/*', isEmptyUri: true, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 });
  sig.addReference({
    xpath: `//*[local-name(.)='SignedProperties' and namespace-uri(.)='${XADES}']`,
    transforms: [EXC_C14N],
    digestAlgorithm: SHA256,
    type: 'http://uri.etsi.org/01903#SignedProperties',
  });
  sig.computeSignature(xml, { prefix: 'ds', attrs: { Id: signatureId }, location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}
