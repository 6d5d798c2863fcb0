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

export type CertificateCredentials = Extract<KsefCredentials, { kind: 'certificate' }>;

export type SubjectIdentifierType = 'certificateSubject' | 'certificateFingerprint';

export interface SigningIdentity {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly subjectIdentifierType: SubjectIdentifierType;
}

/** Certificate credentials that cannot sign a KSeF login; the message names the setting that holds them. */
export class SigningCredentialsError extends KsefConfigurationError {}

/** Where the certificate and the key were configured, so that a problem names the setting to fix. */
export interface CredentialSettings {
  readonly certificate: string;
  readonly privateKey: string;
}

const UNNAMED: CredentialSettings = { certificate: 'the KSeF signing certificate', privateKey: 'the KSeF signing key' };

/** KSeF's minimum for RSA signing keys (DOCS auth/podpis-xades.md: "Minimalna długość klucza: 2048 bitów"). */
export const MIN_RSA_BITS = 2048;

/** What keeps a key from signing for KSeF, or null: RSA of at least 2048 bits, or EC P-256 (the client signs ECDSA-SHA256). */
export function signingKeyProblem(key: KeyObject): string | null {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits >= MIN_RSA_BITS ? null : `the key is RSA with ${bits} bits; KSeF accepts RSA keys of at least ${MIN_RSA_BITS} bits (or EC P-256)`;
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'prime256v1' ? null : `the key is EC on the curve ${curve ?? 'unknown'}; the client signs with EC P-256 (prime256v1) keys (or RSA of at least ${MIN_RSA_BITS} bits)`;
  }
  return `the key is ${type ?? 'of an unknown type'}; KSeF accepts RSA (at least ${MIN_RSA_BITS} bits) or EC P-256 keys`;
}

function readSigningIdentity(credentials: CertificateCredentials, settings: CredentialSettings): SigningIdentity {
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  const firstPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(credentials.certificatePem)?.[0];
  try {
    if (!firstPem) throw new Error('no PEM certificate found');
    certificate = new X509Certificate(firstPem);
  } catch (error) {
    throw new SigningCredentialsError(`${settings.certificate}: the certificate cannot be read (${(error as Error).message})`, { cause: error });
  }
  try {
    privateKey = createPrivateKey({ key: credentials.privateKeyPem, format: 'pem', ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}) });
  } catch (error) {
    // node's message names the failing step (e.g. "bad decrypt" for a wrong passphrase), never the key.
    throw new SigningCredentialsError(`${settings.privateKey}: the private key cannot be read (${(error as Error).message})`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new SigningCredentialsError(`${settings.privateKey}: the private key does not belong to the certificate in ${settings.certificate}`);
  const problem = signingKeyProblem(privateKey);
  if (problem !== null) throw new SigningCredentialsError(`${settings.privateKey}: ${problem}`);
  return { certificate, privateKey, subjectIdentifierType: credentials.subjectIdentifierType ?? 'certificateSubject' };
}

/**
 * Checks certificate credentials when they are loaded (at start, or when a secret is read), so that a key
 * KSeF would refuse, a wrong passphrase or a key of another certificate is reported before any login,
 * naming the setting. Throws SigningCredentialsError.
 */
export function checkSigningCredentials(credentials: CertificateCredentials, settings: CredentialSettings): void {
  readSigningIdentity(credentials, settings);
}

/**
 * Turns certificate credentials into a certificate and a private key that belong together. A PKCS#12
 * file is turned into these PEM credentials first (auth/pkcs12.ts), so that node-forge stays out of the
 * Lambda bundles.
 */
export async function loadSigningIdentity(credentials: CertificateCredentials): Promise<SigningIdentity> {
  return readSigningIdentity(credentials, UNNAMED);
}
