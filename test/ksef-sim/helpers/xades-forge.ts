import { createHash, randomUUID, sign, type KeyObject, type X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/*
 * A XAdES signer for the simulator's tests that does what an attacker (or a careless client) can: sign
 * a login with any SigningTime, IssuerSerial, certificate-digest method or reference Type, with keys
 * the real client refuses, enveloped or enveloping. Built on xml-crypto directly, not on the client's
 * signer, so that each test states exactly what it sends.
 */

const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

export interface ForgeOptions {
  /** xades:SigningTime text; now by default. */
  readonly signingTime?: string;
  /** X509IssuerName text (XML-escaped here); the RFC 4514 issuer by default. */
  readonly issuerName?: string;
  /** X509SerialNumber text; the certificate's serial by default. */
  readonly serialNumber?: string;
  /** CertDigest's DigestMethod; the value is SHA-256 whatever it says. */
  readonly certDigestMethod?: string;
  /** The SignedProperties reference's Type; null leaves it out. */
  readonly signedPropertiesType?: string | null;
  /** The request in a ds:Object of a root ds:Signature instead of the signature in the request. */
  readonly enveloping?: boolean;
}

class EcdsaP1363 {
  getSignature(signedInfo: string | Buffer, key: KeyObject): string {
    return sign('sha256', Buffer.from(signedInfo), { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(): boolean {
    throw new Error('signing only');
  }
  getAlgorithmName(): string {
    return 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
  }
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function forgeXades(unsignedXml: string, key: KeyObject, certificate: X509Certificate, defaultIssuerName: string, options: ForgeOptions = {}): string {
  const id = randomUUID();
  const signatureId = `Signature-${id}`;
  const propertiesId = `SignedProperties-${id}`;
  const qualifying =
    `<xades:QualifyingProperties xmlns:xades="${XADES}" Target="#${signatureId}"><xades:SignedProperties Id="${propertiesId}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${options.signingTime ?? new Date().toISOString()}</xades:SigningTime>` +
    `<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${options.certDigestMethod ?? SHA256}"/>` +
    `<ds:DigestValue>${createHash('sha256').update(certificate.raw).digest('base64')}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerial><ds:X509IssuerName>${escapeXml(options.issuerName ?? defaultIssuerName)}</ds:X509IssuerName>` +
    `<ds:X509SerialNumber>${options.serialNumber ?? BigInt(`0x${certificate.serialNumber}`).toString(10)}</ds:X509SerialNumber></xades:IssuerSerial>` +
    `</xades:Cert></xades:SigningCertificate></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties>`;
  const isEc = key.asymmetricKeyType === 'ec';
  const request = unsignedXml.replace(/^<\?xml[^>]*\?>/, '');
  const objects = [{ content: qualifying }, ...(options.enveloping ? [{ content: request, attributes: { Id: `Request-${id}` } }] : [])];
  const signer = new SignedXml({
    privateKey: key,
    publicCert: certificate.toString(),
    signatureAlgorithm: isEc ? 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: EXC_C14N,
    objects,
  });
  (signer.SignatureAlgorithms as Record<string, unknown>)['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'] = EcdsaP1363;
  if (options.enveloping) {
    signer.addReference({ xpath: `//*[@Id='Request-${id}']`, transforms: [EXC_C14N], digestAlgorithm: SHA256 });
  } else {
    signer.addReference({ xpath: '/*', isEmptyUri: true, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N], digestAlgorithm: SHA256 });
  }
  const type = options.signedPropertiesType === undefined ? SIGNED_PROPERTIES_TYPE : options.signedPropertiesType;
  signer.addReference({ xpath: `//*[local-name(.)='SignedProperties']`, transforms: [EXC_C14N], digestAlgorithm: SHA256, ...(type === null ? {} : { type }) });
  if (!options.enveloping) {
    signer.computeSignature(unsignedXml, { prefix: 'ds', attrs: { Id: signatureId }, location: { reference: '/*', action: 'append' } });
    return signer.getSignedXml();
  }
  // Enveloping: sign inside a throw-away root, then make the signature the document.
  signer.computeSignature('<Wrapper/>', { prefix: 'ds', attrs: { Id: signatureId }, location: { reference: '/*', action: 'append' } });
  const signature = new DOMParser().parseFromString(signer.getSignedXml(), 'application/xml').documentElement?.firstChild;
  return `<?xml version="1.0" encoding="utf-8"?>${new XMLSerializer().serializeToString(signature as Node)}`;
}
