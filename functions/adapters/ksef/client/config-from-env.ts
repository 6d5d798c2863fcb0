import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { KsefCredentials } from './auth/credentials.js';
import { nipSchema, type KsefEnvironmentInput } from './environment.js';
import { KsefConfigurationError } from './http/errors.js';

/** Environment variable names the wiring reads (secrets come from Secrets Manager on AWS; see KSEF_SECRET_FIELDS). */
export const KSEF_ENV_VARS = {
  env: 'KSEF_ENV',
  baseUrl: 'KSEF_BASE_URL',
  nip: 'KSEF_NIP',
  token: 'KSEF_TOKEN',
  certificatePath: 'KSEF_CERT_PATH',
  privateKeyPath: 'KSEF_KEY_PATH',
  privateKeyPassphrase: 'KSEF_KEY_PASSPHRASE',
  pkcs12Path: 'KSEF_P12_PATH',
  pkcs12Password: 'KSEF_P12_PASSWORD',
} as const;

/** The JSON fields of the KSeF credentials secret (one of: token; certificatePem + privateKeyPem; pkcs12Base64 + pkcs12Password). */
export const ksefSecretSchema = z.union([
  z.object({ token: z.string().min(1) }),
  z.object({ certificatePem: z.string().min(1), privateKeyPem: z.string().min(1), privateKeyPassphrase: z.string().optional() }),
  z.object({ pkcs12Base64: z.string().min(1), pkcs12Password: z.string() }),
]);

export type KsefSecret = z.infer<typeof ksefSecretSchema>;

/** Credentials from the parsed secret; the certificate path is preferred when both are present. */
export function credentialsFromSecret(secret: unknown): KsefCredentials {
  const parsed = ksefSecretSchema.safeParse(secret);
  if (!parsed.success) throw new KsefConfigurationError('The KSeF secret must hold token, or certificatePem + privateKeyPem, or pkcs12Base64 + pkcs12Password');
  const s = parsed.data;
  if ('certificatePem' in s) return { kind: 'certificate', certificatePem: s.certificatePem, privateKeyPem: s.privateKeyPem, ...(s.privateKeyPassphrase ? { passphrase: s.privateKeyPassphrase } : {}) };
  if ('pkcs12Base64' in s) return { kind: 'pkcs12', pkcs12: Buffer.from(s.pkcs12Base64, 'base64'), password: s.pkcs12Password };
  return { kind: 'token', token: s.token };
}

export interface KsefClientConfig {
  readonly environment: KsefEnvironmentInput;
  readonly nip: string;
  readonly credentials: KsefCredentials;
}

/** For local mode: environment, NIP and credentials from variables and files (never printed). */
export async function ksefConfigFromEnv(vars: Readonly<Record<string, string | undefined>>): Promise<KsefClientConfig> {
  const V = KSEF_ENV_VARS;
  const name = z.enum(['TEST', 'DEMO', 'PROD', 'LOCAL', 'CUSTOM']).default(vars[V.baseUrl] ? 'CUSTOM' : 'TEST').parse(vars[V.env] || undefined);
  const nip = nipSchema.parse(vars[V.nip]);
  let credentials: KsefCredentials;
  if (vars[V.certificatePath] && vars[V.privateKeyPath]) {
    credentials = {
      kind: 'certificate',
      certificatePem: await readFile(vars[V.certificatePath] as string, 'utf8'),
      privateKeyPem: await readFile(vars[V.privateKeyPath] as string, 'utf8'),
      ...(vars[V.privateKeyPassphrase] ? { passphrase: vars[V.privateKeyPassphrase] } : {}),
    };
  } else if (vars[V.pkcs12Path]) {
    credentials = { kind: 'pkcs12', pkcs12: await readFile(vars[V.pkcs12Path] as string), password: vars[V.pkcs12Password] ?? '' };
  } else if (vars[V.token]) {
    credentials = { kind: 'token', token: vars[V.token] as string };
  } else {
    throw new KsefConfigurationError(`Set ${V.certificatePath} + ${V.privateKeyPath}, or ${V.pkcs12Path}, or ${V.token}`);
  }
  return { environment: { name, ...(vars[V.baseUrl] ? { baseUrl: vars[V.baseUrl] } : {}) }, nip, credentials };
}
