import * as z from 'zod/mini';
import { checkSigningCredentials, type KsefCredentials } from './auth/credentials.js';
import { KsefConfigurationError } from '../../../ports/ksef-errors.js';

/**
 * The JSON fields of the KSeF credentials secret (Secrets Manager on AWS): `{ token }` or
 * `{ certificatePem, privateKeyPem, privateKeyPassphrase? }`. Store a PKCS#12 as PEM (see
 * `credentialsFromPkcs12` or `openssl pkcs12 -nodes`), which keeps PKCS#12 code out of the Lambdas.
 */
export const ksefSecretSchema = z.union([
  z.object({ certificatePem: z.string().check(z.minLength(1)), privateKeyPem: z.string().check(z.minLength(1)), privateKeyPassphrase: z.optional(z.string()) }),
  z.object({ token: z.string().check(z.minLength(1)) }),
]);

export type KsefSecret = z.infer<typeof ksefSecretSchema>;

/** The secret's fields, as a problem with the certificate or key names them. */
export const SECRET_CREDENTIAL_FIELDS = { certificate: 'certificatePem', privateKey: 'privateKeyPem' } as const;

/**
 * Credentials from the parsed secret; the certificate is preferred when both are present. A certificate
 * and key that cannot sign a KSeF login (unreadable, not a pair, RSA under 2048 bits) are refused here,
 * when the secret is read, with a SigningCredentialsError naming the field.
 */
export function credentialsFromSecret(secret: unknown): KsefCredentials {
  const parsed = ksefSecretSchema.safeParse(secret);
  if (!parsed.success) throw new KsefConfigurationError('The KSeF secret must hold token, or certificatePem + privateKeyPem');
  const s = parsed.data;
  if (!('certificatePem' in s)) return { kind: 'token', token: s.token };
  const credentials = { kind: 'certificate', certificatePem: s.certificatePem, privateKeyPem: s.privateKeyPem, ...(s.privateKeyPassphrase ? { passphrase: s.privateKeyPassphrase } : {}) } as const;
  checkSigningCredentials(credentials, SECRET_CREDENTIAL_FIELDS);
  return credentials;
}
