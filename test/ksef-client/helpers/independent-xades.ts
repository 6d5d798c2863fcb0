import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import * as xmldom from '@xmldom/xmldom';
import * as xadesjs from 'xadesjs';
import xpath from 'xpath';
import { certificateNames, dnStringMatches } from '../../../functions/ksef-sim/crypto/distinguished-name.js';

/*
 * A second, independent check of what the client signs: xadesjs/xmldsigjs (PeculiarVentures; their own
 * canonicalisation, WebCrypto for the signature) verify the XML-DSig signature and every reference,
 * and read the XAdES properties; the certificate digest is recomputed with node:crypto and the
 * IssuerSerial name is read back against the issuer @peculiar/asn1-x509 parses from the certificate.
 * None of this is the code the client signs with (xml-crypto, client/auth/issuer-name.ts).
 */

xadesjs.setNodeDependencies({ XMLSerializer: xmldom.XMLSerializer, DOMParser: xmldom.DOMParser, DOMImplementation: xmldom.DOMImplementation, xpath });
xadesjs.Application.setEngine('NodeJS', webcrypto as never);

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface IndependentVerdict {
  /** SignatureValue and every reference (the document and SignedProperties) verify. */
  readonly signatureValid: boolean;
  /** The references' URIs with their Type and transforms, in SignedInfo order. */
  readonly references: readonly { readonly uri: string; readonly type: string | null; readonly transforms: readonly string[] }[];
  readonly signingTime: Date | undefined;
  /** SigningCertificate's CertDigest is SHA-256 of the certificate in KeyInfo. */
  readonly certDigestMatches: boolean;
  readonly issuerName: string | undefined;
  /** X509IssuerName read as a distinguished name is the certificate's issuer, RDN by RDN. */
  readonly issuerNameMatches: boolean;
  readonly serialMatches: boolean;
}

export async function verifyIndependently(xml: string): Promise<IndependentVerdict> {
  const doc = xadesjs.Parse(xml);
  const element = doc.getElementsByTagNameNS(DSIG, 'Signature')[0];
  if (!element) throw new Error('no ds:Signature');
  const signed = new xadesjs.SignedXml(doc);
  signed.LoadXml(element as never);
  // xmldsigjs rejects (rather than resolving false) on some broken references.
  const signatureValid = await signed.Verify().catch(() => false);
  const references = signed.XmlSignature.SignedInfo.References.Map((ref) => ({
    uri: ref.Uri ?? '',
    type: ref.Type || null,
    transforms: ref.Transforms.Map((t) => t.Algorithm).GetIterator(),
  })).GetIterator();
  const certificate = new X509Certificate(Buffer.from(signed.XmlSignature.KeyInfo.GetXml()?.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]?.textContent ?? '', 'base64'));
  const properties = signed.SignedProperties.SignedSignatureProperties;
  const cert = properties.SigningCertificate.Item(0);
  const issuerName = cert?.IssuerSerial.X509IssuerName;
  return {
    signatureValid,
    references,
    signingTime: properties.SigningTime.Value,
    certDigestMatches: cert?.CertDigest.DigestMethod.Algorithm === SHA256 && Buffer.from(cert.CertDigest.DigestValue).equals(createHash('sha256').update(certificate.raw).digest()),
    issuerName,
    issuerNameMatches: issuerName !== undefined && dnStringMatches(issuerName, certificateNames(certificate.raw).issuer),
    serialMatches: cert?.IssuerSerial.X509SerialNumber === BigInt(`0x${certificate.serialNumber}`).toString(10),
  };
}
