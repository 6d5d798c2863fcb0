import { X509Certificate, createHash } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { badRequest } from '../http/api-error.js';
import { certificateSubject, type CertificateSubject } from './certificate-subject.js';
import { certificateNames } from './distinguished-name.js';
import { C14N_ALGORITHMS, DIGEST_ALGORITHMS, ENVELOPED_SIGNATURE, SIGNATURE_ALGORITHMS, TRANSFORMS, keyProblem, withKsefAlgorithms } from './xades-algorithms.js';
import { checkSignedProperties, invalidSignature } from './xades-properties.js';
import { DSIG, XADES, childElements, elementChildren, elementsWithId, onlyChild, parseXml, within } from './xml-nodes.js';

/*
 * A XAdES login as KSeF checks it (DOCS auth/podpis-xades.md; README §2.4 of the KSeF notes): one
 * signature, enveloped (URI="" with the enveloped-signature transform) or enveloping (the request in a
 * ds:Object), never detached; a signed SignedProperties reference of the XAdES Type; accepted
 * algorithms and key sizes; SigningCertificate naming the signer by digest and IssuerSerial; the
 * subject's identifiers read attribute by attribute. Everything the login uses — Challenge, context,
 * SigningTime — is read from what the signature covers (xml-crypto's canonical signed references),
 * never from the document as sent, where unsigned content (a ds:Object, a moved signature) could
 * say something else. The answers are KSeF's: 9101/9102/9103/9105, 21115, 21117.
 */

const AUTH_NAMESPACE = /^http:\/\/ksef\.mf\.gov\.pl\/auth\/token\/2\.[01]$/;
const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

export interface VerifiedAuthRequest {
  readonly namespace: string;
  readonly challenge: string;
  readonly context: { readonly type: 'Nip' | 'InternalId' | 'NipVatUe' | 'PeppolId'; readonly value: string };
  readonly subjectIdentifierType: 'certificateSubject' | 'certificateFingerprint';
  readonly certificate: X509Certificate;
  /** Seal or person, with the NIP or PESEL its subject attributes carry. */
  readonly subject: CertificateSubject;
  readonly fingerprint: string;
  readonly signingTime: Date;
  /** The AuthTokenRequest exactly as signed (canonical, without the signature), for the XSD check. */
  readonly signedDocumentXml: string;
}

type Form = 'enveloped' | 'enveloping';

interface ReferenceInfo {
  readonly role: 'document' | 'properties' | 'other';
  readonly type: string | null;
  readonly transforms: readonly string[];
}

const isAuthTokenRequest = (e: Element | null | undefined): boolean => e?.localName === 'AuthTokenRequest' && AUTH_NAMESPACE.test(e.namespaceURI ?? '');

export function verifyAuthTokenRequest(xml: string): VerifiedAuthRequest {
  const errors: string[] = [];
  const doc = parseXml(xml, errors);
  if (!doc) throw badRequest('invalidDocument', ...errors);
  if (doc.doctype) throw badRequest('invalidDocument', 'Dokument nie może zawierać deklaracji DOCTYPE.');
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  if (signatures.length === 0) throw badRequest('noSignature');
  if (signatures.length > 1) throw badRequest('tooManySignatures');
  const signature = signatures[0] as Element;
  const form = formOf(doc.documentElement as Element, signature);

  const signedInfo = onlyChild(signature, DSIG, 'SignedInfo');
  if (!signedInfo) throw invalidSignature('format', 'Podpis musi mieć dokładnie jeden element ds:SignedInfo.');
  const c14n = onlyChild(signedInfo, DSIG, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  const method = onlyChild(signedInfo, DSIG, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  if (!C14N_ALGORITHMS.has(c14n)) throw invalidSignature('algorithm', `CanonicalizationMethod '${c14n}' nie jest obsługiwana.`);
  if (SIGNATURE_ALGORITHMS[method] === undefined) throw invalidSignature('algorithm', `SignatureMethod '${method}' nie jest obsługiwana.`);

  const certificate = signerCertificate(signature);
  const problem = keyProblem(certificate, method);
  if (problem !== null) throw invalidSignature('algorithm', `Certyfikat podpisu: ${problem}.`);

  const references = childElements(signedInfo, DSIG, 'Reference').map((reference) => describeReference(doc, signature, reference, form));
  const documentIndex = onlyIndex(references, 'document', 'Podpis musi obejmować dokument AuthTokenRequest dokładnie jedną referencją (podpis zewnętrzny nie jest akceptowany).');
  const propertiesIndex = onlyIndex(references, 'properties', 'Podpis musi obejmować xades:SignedProperties dokładnie jedną referencją (wymagany profil XAdES).');
  if (references[propertiesIndex]?.type !== SIGNED_PROPERTIES_TYPE) throw invalidSignature('format', `Referencja do SignedProperties musi mieć Type="${SIGNED_PROPERTIES_TYPE}".`);
  if (form === 'enveloped' && !references[documentIndex]?.transforms.includes(ENVELOPED_SIGNATURE)) {
    throw invalidSignature('format', 'Referencja do dokumentu w podpisie otaczanym musi mieć transformację enveloped-signature.');
  }
  checkQualifyingPropertiesTarget(signature);

  const signed = withKsefAlgorithms(new SignedXml({ publicCert: certificate.toString() }));
  signed.loadSignature(signature);
  let valid: boolean;
  try {
    valid = signed.checkSignature(xml);
  } catch (error) {
    throw invalidSignature('negative', (error as Error).message);
  }
  if (!valid) throw invalidSignature('negative', 'Nieprawidłowa wartość skrótu dla co najmniej jednej referencji.');
  const covered = signed.getSignedReferences();
  if (covered.length !== references.length) throw invalidSignature('negative', 'Nie wszystkie referencje zostały zweryfikowane.');

  const request = signedRequest(covered[documentIndex] as string);
  const names = certificateNames(certificate.raw);
  const { signingTime } = checkSignedProperties(covered[propertiesIndex] as string, certificate, names.issuer);
  const subject = certificateSubject(names.subject);

  const ns = request.namespaceURI as string;
  const field = (local: string) => onlyChild(request, ns, local);
  // A request missing a field reads as empty here; the XSD check that follows refuses it (21401).
  const contextIdentifier = field('ContextIdentifier');
  const contextChild = (contextIdentifier ? elementChildren(contextIdentifier) : []).find((e) => e.namespaceURI === ns && ['Nip', 'InternalId', 'NipVatUe', 'PeppolId'].includes(e.localName ?? ''));
  return {
    namespace: ns,
    challenge: field('Challenge')?.textContent?.trim() ?? '',
    context: { type: (contextChild?.localName ?? 'Nip') as VerifiedAuthRequest['context']['type'], value: contextChild?.textContent?.trim() ?? '' },
    subjectIdentifierType: field('SubjectIdentifierType')?.textContent?.trim() === 'certificateFingerprint' ? 'certificateFingerprint' : 'certificateSubject',
    certificate,
    subject,
    fingerprint: createHash('sha256').update(certificate.raw).digest('hex').toUpperCase(),
    signingTime,
    signedDocumentXml: new XMLSerializer().serializeToString(request),
  };
}

/** Enveloped: the signature is a child of the AuthTokenRequest root; enveloping: the signature is the root. */
function formOf(root: Element, signature: Element): Form {
  if (root === signature) return 'enveloping';
  if (!isAuthTokenRequest(root)) throw badRequest('invalidDocument', 'Oczekiwano dokumentu AuthTokenRequest w przestrzeni nazw http://ksef.mf.gov.pl/auth/token/2.0 lub 2.1.');
  if (signature.parentNode !== root) throw invalidSignature('format', 'Podpis otaczany musi być elementem podrzędnym AuthTokenRequest.');
  return 'enveloped';
}

function signerCertificate(signature: Element): X509Certificate {
  const keyInfo = onlyChild(signature, DSIG, 'KeyInfo');
  const x509Data = keyInfo && childElements(keyInfo, DSIG, 'X509Data')[0];
  const base64 = (x509Data && childElements(x509Data, DSIG, 'X509Certificate')[0])?.textContent?.replace(/\s+/g, '');
  if (!base64) throw badRequest('invalidCertificate', 'Brak certyfikatu w ds:KeyInfo/ds:X509Data/ds:X509Certificate.');
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch (error) {
    throw badRequest('invalidCertificate', `Certyfikatu nie da się odczytać: ${(error as Error).message}`);
  }
}

/** What a reference points at: the request (the whole document, or its ds:Object), the SignedProperties, or something else in the signature. */
function describeReference(doc: Document, signature: Element, reference: Element, form: Form): ReferenceInfo {
  const transforms = Array.from(reference.getElementsByTagNameNS(DSIG, 'Transform')).map((t) => t.getAttribute('Algorithm') ?? '');
  const unknown = transforms.find((t) => !TRANSFORMS.has(t));
  if (unknown !== undefined) throw invalidSignature('algorithm', `Transformacja '${unknown}' nie jest obsługiwana.`);
  const digest = onlyChild(reference, DSIG, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
  if (DIGEST_ALGORITHMS[digest] === undefined) throw invalidSignature('algorithm', `DigestMethod '${digest}' nie jest obsługiwana.`);
  const type = reference.getAttribute('Type') || null;
  // A Reference without URI leaves the data to the application: a detached signature.
  if (!reference.hasAttribute('URI')) throw invalidSignature('format', 'Referencja bez atrybutu URI (podpis zewnętrzny nie jest akceptowany).');
  const uri = reference.getAttribute('URI') ?? '';
  if (uri === '') return { role: form === 'enveloped' ? 'document' : 'other', type, transforms };
  if (!uri.startsWith('#')) throw invalidSignature('format', `Referencja do danych zewnętrznych '${uri}' (podpis zewnętrzny nie jest akceptowany).`);
  const targets = elementsWithId(doc, uri.slice(1));
  if (targets.length !== 1) throw invalidSignature('format', `Referencja '${uri}' musi wskazywać dokładnie jeden element.`);
  const target = targets[0] as Element;
  if (target.namespaceURI === XADES && target.localName === 'SignedProperties' && within(target, signature)) return { role: 'properties', type, transforms };
  if (form === 'enveloped' && target === doc.documentElement) return { role: 'document', type, transforms };
  const object = target.namespaceURI === DSIG && target.localName === 'Object' && target.parentNode === signature ? target : null;
  if (form === 'enveloping' && (object ? elementChildren(object).some(isAuthTokenRequest) : isAuthTokenRequest(target) && target.parentNode?.parentNode === signature)) {
    return { role: 'document', type, transforms };
  }
  if (within(target, signature)) return { role: 'other', type, transforms };
  throw invalidSignature('format', `Referencja '${uri}' wskazuje tylko część dokumentu AuthTokenRequest.`);
}

function onlyIndex(references: readonly ReferenceInfo[], role: ReferenceInfo['role'], message: string): number {
  const indexes = references.flatMap((r, i) => (r.role === role ? [i] : []));
  if (indexes.length !== 1) throw invalidSignature('format', message);
  return indexes[0] as number;
}

/** XAdES: QualifyingProperties sits in a ds:Object of the signature and targets it by Id. */
function checkQualifyingPropertiesTarget(signature: Element): void {
  const id = signature.getAttribute('Id');
  const qualifying = childElements(signature, DSIG, 'Object').flatMap((object) => childElements(object, XADES, 'QualifyingProperties'));
  if (qualifying.length !== 1 || !id || qualifying[0]?.getAttribute('Target') !== `#${id}`) {
    throw invalidSignature('format', 'xades:QualifyingProperties musi występować raz, w ds:Object podpisu, z Target="#<Id podpisu>".');
  }
}

/** The AuthTokenRequest in a covered reference: the document itself (enveloped) or the one element of a ds:Object (enveloping). */
function signedRequest(canonicalXml: string): Element {
  const root = parseXml(canonicalXml)?.documentElement;
  if (root && isAuthTokenRequest(root)) return root;
  const inObject = root?.namespaceURI === DSIG && root.localName === 'Object' ? elementChildren(root) : [];
  if (inObject.length === 1 && isAuthTokenRequest(inObject[0])) return inObject[0] as Element;
  throw badRequest('invalidDocument', 'Podpisana treść nie jest dokumentem AuthTokenRequest w przestrzeni nazw http://ksef.mf.gov.pl/auth/token/2.0 lub 2.1.');
}
