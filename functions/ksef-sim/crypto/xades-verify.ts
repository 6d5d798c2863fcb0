import { X509Certificate, createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { badRequest } from '../http/api-error.js';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/** XML-DSig ECDSA: the signature value is R‖S (IEEE P1363), as KSeF requires, not DER. */
class EcdsaSha256 {
  getSignature(): string {
    throw new Error('The simulator only verifies signatures.');
  }
  verifySignature(material: string, key: string | Buffer, signatureValue: string): boolean {
    return cryptoVerify('sha256', Buffer.from(material), { key: createPublicKey(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

export interface VerifiedAuthRequest {
  readonly namespace: string;
  readonly challenge: string;
  readonly context: { readonly type: 'Nip' | 'InternalId' | 'NipVatUe' | 'PeppolId'; readonly value: string };
  readonly subjectIdentifierType: 'certificateSubject' | 'certificateFingerprint';
  readonly certificate: X509Certificate;
  /** NIP or PESEL from the certificate subject (serialNumber 2.5.4.5 or organizationIdentifier 2.5.4.97). */
  readonly subjectNip: string | null;
  readonly subjectPesel: string | null;
  readonly fingerprint: string;
  /** The document without its signature, for the XSD check. */
  readonly unsignedXml: string;
}

function only(parent: Element | Document, ns: string, local: string): Element | null {
  return (parent.getElementsByTagNameNS(ns, local)[0] as Element | undefined) ?? null;
}

/**
 * Verifies an enveloped XAdES-BES signature over an `AuthTokenRequest`: exactly one signature,
 * the whole document signed (URI="" with the enveloped transform), SignedProperties signed and
 * its SigningCertificate digest matching the certificate in KeyInfo, RSA or ECDSA (P1363).
 */
export function verifyAuthTokenRequest(xml: string): VerifiedAuthRequest {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: (msg: string) => void errors.push(msg), fatalError: (msg: string) => void errors.push(msg) } }).parseFromString(xml, 'application/xml');
  const root = doc.documentElement;
  if (errors.length > 0 || !root) throw badRequest('invalidDocument', ...errors);
  if (root.localName !== 'AuthTokenRequest' || !/^http:\/\/ksef\.mf\.gov\.pl\/auth\/token\/2\.[01]$/.test(root.namespaceURI ?? '')) {
    throw badRequest('invalidDocument', 'Oczekiwano dokumentu AuthTokenRequest w przestrzeni nazw http://ksef.mf.gov.pl/auth/token/2.0 lub 2.1.');
  }
  const ns = root.namespaceURI as string;
  const signatures = doc.getElementsByTagNameNS(DSIG, 'Signature');
  if (signatures.length === 0) throw badRequest('noSignature');
  if (signatures.length > 1) throw badRequest('tooManySignatures');
  const signature = signatures[0] as Element;
  if (signature.parentNode !== root) throw badRequest('invalidSignature', 'Podpis musi być otaczany (enveloped) w elemencie AuthTokenRequest.');

  const certB64 = only(signature, DSIG, 'X509Certificate')?.textContent?.replace(/\s+/g, '');
  if (!certB64) throw badRequest('invalidCertificate', 'Brak certyfikatu w KeyInfo/X509Data.');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(certB64, 'base64'));
  } catch (error) {
    throw badRequest('invalidCertificate', `Certyfikatu nie da się odczytać: ${(error as Error).message}`);
  }
  const signed = new SignedXml({ publicCert: certificate.toString() });
  (signed.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
  signed.loadSignature(signature);
  let valid = false;
  try {
    valid = signed.checkSignature(xml);
  } catch (error) {
    throw badRequest('invalidSignature', (error as Error).message);
  }
  if (!valid) throw badRequest('invalidSignature', 'Podpis zweryfikowany negatywnie.');

  const references = Array.from(only(signature, DSIG, 'SignedInfo')?.getElementsByTagNameNS(DSIG, 'Reference') ?? []) as Element[];
  const wholeDocument = references.some(
    (r) => r.getAttribute('URI') === '' && Array.from(r.getElementsByTagNameNS(DSIG, 'Transform')).some((t) => (t as Element).getAttribute('Algorithm') === 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'),
  );
  if (!wholeDocument) throw badRequest('invalidSignature', 'Podpis nie obejmuje całego dokumentu (wymagana referencja URI="" z transformacją enveloped-signature).');
  checkSignedProperties(signature, references, certificate);

  const contextNode = only(root, ns, 'ContextIdentifier');
  const contextChild = contextNode ? (Array.from(contextNode.childNodes).find((n) => n.nodeType === 1) as Element | undefined) : undefined;
  const subjectType = only(root, ns, 'SubjectIdentifierType')?.textContent?.trim();
  const subject = certificate.subject;
  const nip = /(?:serialNumber|2\.5\.4\.5)=(?:TINPL-|NIP-)?(\d{10})\b/.exec(subject)?.[1] ?? /(?:organizationIdentifier|2\.5\.4\.97)=VATPL-(\d{10})\b/.exec(subject)?.[1] ?? null;
  const pesel = /(?:serialNumber|2\.5\.4\.5)=PNOPL-(\d{11})\b/.exec(subject)?.[1] ?? null;
  const clone = doc.cloneNode(true) as Document;
  const cloneSignature = clone.getElementsByTagNameNS(DSIG, 'Signature')[0];
  cloneSignature?.parentNode?.removeChild(cloneSignature);
  return {
    namespace: ns,
    challenge: only(root, ns, 'Challenge')?.textContent?.trim() ?? '',
    context: { type: (contextChild?.localName ?? 'Nip') as VerifiedAuthRequest['context']['type'], value: contextChild?.textContent?.trim() ?? '' },
    subjectIdentifierType: subjectType === 'certificateFingerprint' ? 'certificateFingerprint' : 'certificateSubject',
    certificate,
    subjectNip: nip,
    subjectPesel: pesel,
    fingerprint: createHash('sha256').update(certificate.raw).digest('hex').toUpperCase(),
    unsignedXml: clone.toString(),
  };
}

/** XAdES-BES: a signed reference to SignedProperties whose SigningCertificate names the signer's certificate. */
function checkSignedProperties(signature: Element, references: readonly Element[], certificate: X509Certificate): void {
  const props = only(signature, XADES, 'SignedProperties');
  const id = props?.getAttribute('Id');
  if (!props || !id) throw badRequest('invalidSignature', 'Brak xades:SignedProperties (wymagany profil XAdES-BES).');
  if (!references.some((r) => r.getAttribute('URI') === `#${id}`)) throw badRequest('invalidSignature', 'SignedProperties nie są objęte podpisem.');
  const certDigest = only(props, XADES, 'CertDigest');
  const method = certDigest ? only(certDigest, DSIG, 'DigestMethod')?.getAttribute('Algorithm') : null;
  const value = certDigest ? only(certDigest, DSIG, 'DigestValue')?.textContent?.trim() : null;
  const algorithm = method?.endsWith('#sha512') ? 'sha512' : method?.endsWith('#sha384') ? 'sha384' : method?.endsWith('#sha1') ? 'sha1' : 'sha256';
  if (!value || createHash(algorithm).update(certificate.raw).digest('base64') !== value) {
    throw badRequest('invalidSignature', 'SigningCertificate nie odpowiada certyfikatowi z KeyInfo.');
  }
}
