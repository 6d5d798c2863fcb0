import * as z from 'zod/mini';
import type { KsefCredentials } from './auth/credentials.js';
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

/** Credentials from the parsed secret; the certificate is preferred when both are present. */
export function credentialsFromSecret(secret: unknown): KsefCredentials {
  const parsed = ksefSecretSchema.safeParse(secret);
  if (!parsed.success) throw new KsefConfigurationError('The KSeF secret must hold token, or certificatePem + privateKeyPem');
  const s = parsed.data;
  if ('certificatePem' in s) return { kind: 'certificate', certificatePem: s.certificatePem, privateKeyPem: s.privateKeyPem, ...(s.privateKeyPassphrase ? { passphrase: s.privateKeyPassphrase } : {}) };
  return { kind: 'token', token: s.token };
}
