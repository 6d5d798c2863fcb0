import { createHash, type X509Certificate } from 'node:crypto';
import { badRequest, type KsefApiError } from '../http/api-error.js';
import { dnStringMatches, type Dn } from './distinguished-name.js';
import { DIGEST_ALGORITHMS } from './xades-algorithms.js';
import { DSIG, XADES, childElements, onlyChild, parseXml } from './xml-nodes.js';

/*
 * The XAdES signed properties: SigningTime and SigningCertificate (XAdES 1.3.2), read from the
 * canonical SignedProperties the signature covers, never from the document as sent.
 */

/** KSeF's own 9105 details (seen in its answers), each followed here by the particular reason. */
export const SIGNATURE_DETAILS = {
  format: 'Format podpisu niezgodny z akceptowanymi profilami XAdES.',
  algorithm: 'Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.',
  negative: 'Podpis zweryfikowany negatywnie.',
} as const;

export function invalidSignature(kind: keyof typeof SIGNATURE_DETAILS, reason: string): KsefApiError {
  return badRequest('invalidSignature', SIGNATURE_DETAILS[kind], reason);
}

/** How far SigningTime may lie before the challenge was issued or after the request arrived (clock skew). */
export const SIGNING_TIME_SKEW_MS = 5 * 60_000;

const XSD_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export interface SignedPropertiesFacts {
  readonly signingTime: Date;
}

function text(element: Element | null): string {
  return element?.textContent?.trim() ?? '';
}

/** Checks the covered SignedProperties against the signing certificate; `issuer` is the certificate's issuer as parsed. */
export function checkSignedProperties(signedPropertiesXml: string, certificate: X509Certificate, issuer: Dn): SignedPropertiesFacts {
  const root = parseXml(signedPropertiesXml)?.documentElement;
  if (root?.namespaceURI !== XADES || root.localName !== 'SignedProperties') throw invalidSignature('format', 'Referencja typu SignedProperties nie wskazuje elementu xades:SignedProperties.');
  const signatureProperties = onlyChild(root, XADES, 'SignedSignatureProperties');
  const signingTimeText = text(signatureProperties && onlyChild(signatureProperties, XADES, 'SigningTime'));
  if (!XSD_DATE_TIME.test(signingTimeText)) throw invalidSignature('format', 'Brak xades:SigningTime ze strefą czasową w podpisanych właściwościach.');
  const signingCertificate = signatureProperties && onlyChild(signatureProperties, XADES, 'SigningCertificate');
  if (!signingCertificate) throw invalidSignature('format', 'Brak xades:SigningCertificate w podpisanych właściwościach (wymagany XAdES 1.3.2).');

  const digests = childElements(signingCertificate, XADES, 'Cert').map((cert) => {
    const certDigest = onlyChild(cert, XADES, 'CertDigest');
    const method = (certDigest && onlyChild(certDigest, DSIG, 'DigestMethod')?.getAttribute('Algorithm')) ?? '';
    // An unknown method is refused, never read as some default one.
    const hash = DIGEST_ALGORITHMS[method];
    if (hash === undefined) throw invalidSignature('algorithm', `Nieznany algorytm skrótu certyfikatu w SigningCertificate: '${method}'.`);
    return { cert, hash, value: text(certDigest && onlyChild(certDigest, DSIG, 'DigestValue')) };
  });
  const own = digests.find(({ hash, value }) => createHash(hash).update(certificate.raw).digest('base64') === value)?.cert;
  if (!own) throw invalidSignature('format', 'SigningCertificate nie wskazuje certyfikatu, którym złożono podpis (CertDigest).');

  const issuerSerial = onlyChild(own, XADES, 'IssuerSerial');
  const issuerName = text(issuerSerial && onlyChild(issuerSerial, DSIG, 'X509IssuerName'));
  const serial = text(issuerSerial && onlyChild(issuerSerial, DSIG, 'X509SerialNumber'));
  if (!dnStringMatches(issuerName, issuer)) throw invalidSignature('format', `X509IssuerName w SigningCertificate/IssuerSerial ('${issuerName}') nie odpowiada wystawcy certyfikatu.`);
  if (!/^\d+$/.test(serial) || BigInt(serial) !== BigInt(`0x${certificate.serialNumber}`)) {
    throw invalidSignature('format', `X509SerialNumber w SigningCertificate/IssuerSerial ('${serial}') nie odpowiada numerowi seryjnemu certyfikatu.`);
  }
  return { signingTime: new Date(signingTimeText) };
}

/**
 * SigningTime must fall between the challenge's issue and the request's arrival (the document carries
 * the challenge, so it cannot be signed earlier), give or take the clock skew.
 */
export function signingTimeProblem(signingTime: Date, challengeIssuedAt: Date, now: Date): string | null {
  const earliest = challengeIssuedAt.getTime() - SIGNING_TIME_SKEW_MS;
  const latest = now.getTime() + SIGNING_TIME_SKEW_MS;
  if (signingTime.getTime() >= earliest && signingTime.getTime() <= latest) return null;
  return `Czas złożenia podpisu (SigningTime ${signingTime.toISOString()}) jest poza oknem od ${new Date(earliest).toISOString()} do ${new Date(latest).toISOString()}.`;
}
