import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { KsefConfigurationError } from '../../../../ports/ksef-errors.js';

/** How this system proves who it is to KSeF. */
export type KsefCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'certificate';
      /** PEM certificate (chain allowed; the first one signs) and PEM private key (PKCS#8 or PKCS#1/SEC1). */
      readonly certificatePem: string;
      readonly privateKeyPem: string;
      readonly passphrase?: string;
      readonly subjectIdentifierType?: SubjectIdentifierType;
    };

export type SubjectIdentifierType = 'certificateSubject' | 'certificateFingerprint';

export interface SigningIdentity {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly subjectIdentifierType: SubjectIdentifierType;
}

/**
 * Turns certificate credentials into a certificate and a private key that belong together. A PKCS#12
 * file is turned into these PEM credentials first (auth/pkcs12.ts), so that node-forge stays out of the
 * Lambda bundles.
 */
export async function loadSigningIdentity(credentials: Extract<KsefCredentials, { kind: 'certificate' }>): Promise<SigningIdentity> {
  const subjectIdentifierType = credentials.subjectIdentifierType ?? 'certificateSubject';
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    const firstPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(credentials.certificatePem)?.[0];
    if (!firstPem) throw new Error('no PEM certificate found');
    certificate = new X509Certificate(firstPem);
    privateKey = createPrivateKey({ key: credentials.privateKeyPem, format: 'pem', ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}) });
  } catch (error) {
    throw new KsefConfigurationError(`The KSeF signing certificate or key cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new KsefConfigurationError('The private key does not belong to the KSeF signing certificate');
  const type = privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new KsefConfigurationError(`KSeF accepts RSA or EC signing keys, not ${type}`);
  if (type === 'ec' && privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new KsefConfigurationError(`Only the EC curve P-256 is supported, not ${privateKey.asymmetricKeyDetails?.namedCurve}`);
  }
  return { certificate, privateKey, subjectIdentifierType };
}
