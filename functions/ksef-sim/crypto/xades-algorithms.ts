import { createHash, createPublicKey, verify, type KeyObject, type X509Certificate } from 'node:crypto';
import type { SignedXml } from 'xml-crypto';

/*
 * The algorithms KSeF accepts in a XAdES login (DOCS auth/podpis-xades.md, "Algorytm podpisu
 * SignedInfo" and "Algorytmy skrótu"), as far as the simulator verifies them. RSASSA-PSS other than
 * sha256-rsa-MGF1 and the SHA-3 signature methods are accepted by KSeF but not here: the simulator
 * answers them as unsupported (9105), which no client of this project sends.
 */

/** DigestMethod URIs → node hash names; the same list applies to SigningCertificate/CertDigest. */
export const DIGEST_ALGORITHMS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-256': 'sha3-256',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-384': 'sha3-384',
  'http://www.w3.org/2007/05/xmldsig-more#sha3-512': 'sha3-512',
};

type KeyFamily = 'rsa' | 'ec';

/** SignatureMethod URIs the simulator verifies, with the key they need; xml-crypto brings the RSA ones. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, KeyFamily>> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'rsa',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'rsa',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'rsa',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'rsa',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': 'rsa',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': 'ec',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': 'ec',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': 'ec',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': 'ec',
};

export const C14N_ALGORITHMS: ReadonlySet<string> = new Set([
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
]);

export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** Transforms the simulator applies (KSeF also allows XPath, XPath Filter 2, base64 and c14n 1.1). */
export const TRANSFORMS: ReadonlySet<string> = new Set([...C14N_ALGORITHMS, ENVELOPED_SIGNATURE]);

/** The curves of at least 256 bits KSeF's ECDSA rule admits, as node names them. */
const EC_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** Why a certificate's key cannot make a KSeF login signature with this method, or null. */
export function keyProblem(certificate: X509Certificate, signatureMethod: string): string | null {
  const key = certificate.publicKey;
  const family = SIGNATURE_ALGORITHMS[signatureMethod];
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) return `klucz RSA ma ${bits} bitów, wymagane co najmniej 2048`;
  } else if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'nieznana';
    if (!EC_CURVES.has(curve)) return `krzywa ${curve} nie jest dopuszczona (P-256, P-384 lub P-521)`;
  } else {
    return `klucz typu ${type ?? 'nieznanego'} nie jest dopuszczony (RSA lub ECDSA)`;
  }
  if (family !== (type === 'ec' ? 'ec' : 'rsa')) return `algorytm ${signatureMethod} nie pasuje do klucza ${type}`;
  return null;
}

function verifier(hash: string, uri: string, family: KeyFamily) {
  return class {
    getSignature(): string {
      throw new Error('The simulator only verifies signatures.');
    }
    verifySignature(material: string, key: string | Buffer | KeyObject, signatureValue: string): boolean {
      const publicKey = typeof key === 'string' || Buffer.isBuffer(key) ? createPublicKey(key) : key;
      // XML-DSig ECDSA: SignatureValue is R‖S (IEEE P1363), as KSeF requires, not DER.
      const keyInput = family === 'ec' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
      return verify(hash, Buffer.from(material), keyInput, Buffer.from(signatureValue, 'base64'));
    }
    getAlgorithmName(): string {
      return uri;
    }
  };
}

function digest(hash: string, uri: string) {
  return class {
    getHash(xml: string): string {
      return createHash(hash).update(xml, 'utf8').digest('base64');
    }
    getAlgorithmName(): string {
      return uri;
    }
  };
}

/** Teaches a SignedXml the methods above that xml-crypto does not bring. */
export function withKsefAlgorithms(signed: SignedXml): SignedXml {
  const signatures = signed.SignatureAlgorithms as Record<string, unknown>;
  for (const hash of ['sha1', 'sha256', 'sha384', 'sha512']) {
    const uri = `http://www.w3.org/2001/04/xmldsig-more#ecdsa-${hash}`;
    signatures[uri] = verifier(hash, uri, 'ec');
  }
  signatures['http://www.w3.org/2001/04/xmldsig-more#rsa-sha384'] = verifier('sha384', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384', 'rsa');
  const hashes = signed.HashAlgorithms as Record<string, unknown>;
  for (const [uri, hash] of Object.entries(DIGEST_ALGORITHMS)) hashes[uri] ??= digest(hash, uri);
  return signed;
}
