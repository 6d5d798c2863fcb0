import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { checkSigningCredentials, type KsefCredentials } from './auth/credentials.js';
import { credentialsFromPkcs12 } from './auth/pkcs12.js';
import { nipSchema, type KsefEnvironmentInput } from './environment.js';
import { KsefConfigurationError } from '../../../ports/ksef-errors.js';

/** Environment variable names local mode reads (on AWS the credentials come from Secrets Manager: credentials-from-secret.ts). */
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
    checkSigningCredentials(credentials, { certificate: V.certificatePath, privateKey: V.privateKeyPath });
  } else if (vars[V.pkcs12Path]) {
    credentials = credentialsFromPkcs12(await readFile(vars[V.pkcs12Path] as string), vars[V.pkcs12Password] ?? '');
    checkSigningCredentials(credentials, { certificate: V.pkcs12Path, privateKey: V.pkcs12Path });
  } else if (vars[V.token]) {
    credentials = { kind: 'token', token: vars[V.token] as string };
  } else {
    throw new KsefConfigurationError(`Set ${V.certificatePath} + ${V.privateKeyPath}, or ${V.pkcs12Path}, or ${V.token}`);
  }
  return { environment: { name, ...(vars[V.baseUrl] ? { baseUrl: vars[V.baseUrl] } : {}) }, nip, credentials };
}
