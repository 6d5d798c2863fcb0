import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SigningCredentialsError, type KsefCredentials } from '../adapters/ksef/client/auth/credentials.js';
import { credentialsFromSecret } from '../adapters/ksef/client/credentials-from-secret.js';
import { sha256Base64 } from '../adapters/ksef/client/crypto/primitives.js';
import { KSEF_BASE_URLS, type KsefEnvironmentInput } from '../adapters/ksef/client/environment.js';
import { HttpKsefGateway, type HttpKsefGatewayOptions } from '../adapters/ksef/client/http-ksef-gateway.js';
import { NonRetryableError } from '../domain/errors.js';
import { nipProblem } from '../domain/nip.js';
import type { KsefGateway } from '../ports/ksef-gateway.js';

/*
 * Which KSeF this deployment talks to, for whom, and with what credentials. Shared by both runtimes;
 * local mode's extras (the in-process simulator, credentials from files) live in ksef-local.ts so
 * that neither the simulator nor PKCS#12 code ends up in a Lambda bundle.
 *
 *   KSEF_ENV        SIMULATOR | TEST | DEMO | PROD   (local default SIMULATOR, AWS default TEST)
 *   KSEF_BASE_URL   overrides the API base (a proxy; or with SIMULATOR: a simulator running elsewhere)
 *   KSEF_NIP        the company NIP, the login context (local mode falls back to DEFAULT_LOCAL_NIP)
 *   credentials     local: KSEF_TOKEN, or KSEF_CERT_PATH + KSEF_KEY_PATH (+ KSEF_KEY_PASSPHRASE), or
 *                   KSEF_P12_PATH (+ KSEF_P12_PASSWORD); AWS: the JSON secret named by KSEF_SECRET_ARN
 */

export const KSEF_TARGETS = ['SIMULATOR', 'TEST', 'DEMO', 'PROD'] as const;
export type KsefTarget = (typeof KSEF_TARGETS)[number];

/** A valid NIP local mode acts for when KSEF_NIP is not set (printed at start-up). */
export const DEFAULT_LOCAL_NIP = '5265877635';

/** A KSeF setting that cannot work; the message names the variable. Retrying does not help. */
export class KsefSettingsError extends NonRetryableError {}

export interface KsefSettings {
  readonly target: KsefTarget;
  /** KSEF_BASE_URL without trailing slashes, when set. */
  readonly baseUrl: string | undefined;
  readonly nip: string;
  /** True when KSEF_NIP was not set and the default NIP is used. */
  readonly nipDefaulted: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variables of both runtimes: the names of the client's KSEF_ENV_VARS (config-from-env.ts), kept
 * here as well because that module pulls PKCS#12 code (node-forge) into whatever imports it, and the
 * Lambda bundles must stay small; a test holds the two lists together.
 */
export const KSEF_VARS = {
  env: 'KSEF_ENV',
  baseUrl: 'KSEF_BASE_URL',
  nip: 'KSEF_NIP',
  token: 'KSEF_TOKEN',
  certificatePath: 'KSEF_CERT_PATH',
  privateKeyPath: 'KSEF_KEY_PATH',
  privateKeyPassphrase: 'KSEF_KEY_PASSPHRASE',
  pkcs12Path: 'KSEF_P12_PATH',
  pkcs12Password: 'KSEF_P12_PASSWORD',
  secretArn: 'KSEF_SECRET_ARN',
} as const;

const V = KSEF_VARS;

export function readKsefSettings(env: Env, defaults: { readonly target: KsefTarget; readonly nip?: string }): KsefSettings {
  const problems: string[] = [];
  const rawTarget = value(env, V.env);
  const target = rawTarget === undefined ? defaults.target : (rawTarget.toUpperCase() as KsefTarget);
  if (!KSEF_TARGETS.includes(target)) problems.push(`${V.env}: '${rawTarget}' is not one of ${KSEF_TARGETS.join(', ')}`);

  const rawUrl = value(env, V.baseUrl);
  let baseUrl: string | undefined;
  if (rawUrl !== undefined) {
    if (isHttpUrl(rawUrl)) baseUrl = rawUrl.replace(/\/+$/, '');
    else problems.push(`${V.baseUrl}: '${rawUrl}' is not an http(s) URL`);
  }

  const rawNip = value(env, V.nip);
  const nip = rawNip ?? defaults.nip;
  if (nip === undefined) problems.push(`${V.nip}: not set (the company NIP KSeF sessions act for)`);
  else {
    const problem = nipProblem(nip);
    if (problem !== null) problems.push(`${V.nip}: '${nip}' ${problem}`);
  }
  if (problems.length > 0 || nip === undefined) throw new KsefSettingsError(`Invalid KSeF configuration: ${problems.join('; ')}.`);
  return { target, baseUrl, nip, nipDefaulted: rawNip === undefined };
}

/** The client's environment for a remote KSeF (anything but the in-process simulator). */
export function environmentOf(settings: KsefSettings): KsefEnvironmentInput {
  if (settings.target === 'SIMULATOR') {
    if (settings.baseUrl === undefined) throw new KsefSettingsError(`${V.env}=SIMULATOR runs the simulator in this process; set ${V.baseUrl} to use one running elsewhere.`);
    return { name: 'LOCAL', baseUrl: settings.baseUrl };
  }
  return settings.baseUrl === undefined ? { name: settings.target } : { name: settings.target, baseUrl: settings.baseUrl };
}

/** Where the gateway of these settings sends its requests. */
export function baseUrlOf(settings: KsefSettings): string | undefined {
  if (settings.baseUrl !== undefined) return settings.baseUrl;
  return settings.target === 'SIMULATOR' ? undefined : KSEF_BASE_URLS[settings.target];
}

/** The KSeF credentials secret, read once per container (never logged, never put in the environment). */
export async function readKsefSecret(client: SecretsManagerClient, secretArn: string): Promise<KsefCredentials> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (SecretString === undefined) throw new KsefSettingsError(`The KSeF secret ${secretArn} has no string value (store it as JSON text).`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(SecretString);
  } catch {
    // No cause: a JSON parser error quotes the text, and the text is a secret.
    throw new KsefSettingsError(`The KSeF secret ${secretArn} is not JSON; it must hold {"token"} or {"certificatePem","privateKeyPem"}.`);
  }
  try {
    return credentialsFromSecret(parsed);
  } catch (error) {
    // A certificate or key that cannot sign names its field (e.g. an RSA key under 2048 bits); no message quotes the secret.
    if (error instanceof SigningCredentialsError) throw new KsefSettingsError(`The KSeF secret ${secretArn}: ${error.message}.`, { cause: error });
    throw new KsefSettingsError(`The KSeF secret ${secretArn} must hold {"token"} or {"certificatePem","privateKeyPem","privateKeyPassphrase"?}.`);
  }
}

export interface AwsKsefOptions {
  readonly env: Env;
  readonly secrets: SecretsManagerClient;
  /** Extra client options (tests pass a timer). */
  readonly client?: Omit<HttpKsefGatewayOptions, 'environment' | 'nip' | 'credentials'>;
}

/**
 * The gateway on AWS: settings from the environment now (a bad one fails the cold start with the
 * variable's name), credentials from Secrets Manager on first use, then kept for the container.
 */
export function awsKsefGateway(options: AwsKsefOptions): KsefGateway {
  const settings = readKsefSettings(options.env, { target: 'TEST' });
  const environment = environmentOf(settings);
  const secretArn = value(options.env, V.secretArn);
  if (secretArn === undefined || !/^arn:aws[\w-]*:secretsmanager:/.test(secretArn)) {
    throw new KsefSettingsError(`Invalid KSeF configuration: ${V.secretArn}: ${secretArn === undefined ? 'not set' : `'${secretArn}' is not a Secrets Manager ARN`}.`);
  }
  return new DeferredKsefGateway(settings.nip, async () => {
    const credentials = await readKsefSecret(options.secrets, secretArn);
    return new HttpKsefGateway({ ...options.client, environment, nip: settings.nip, credentials });
  });
}

/** A KsefGateway built on first use (after an asynchronous step such as reading a secret); a failed build is tried again next time. */
export class DeferredKsefGateway implements KsefGateway {
  #gateway: Promise<KsefGateway> | undefined;

  constructor(
    readonly contextNip: string,
    private readonly build: () => Promise<KsefGateway>,
  ) {}

  #get(): Promise<KsefGateway> {
    if (this.#gateway === undefined) {
      const building = this.build();
      this.#gateway = building;
      building.catch(() => {
        if (this.#gateway === building) this.#gateway = undefined;
      });
    }
    return this.#gateway;
  }

  invoiceHash(xml: string | Uint8Array): string {
    return sha256Base64(xml);
  }

  async authenticate(...args: Parameters<KsefGateway['authenticate']>) {
    return (await this.#get()).authenticate(...args);
  }
  async logout() {
    // Nothing to log out of when nothing logged in.
    if (this.#gateway !== undefined) await (await this.#gateway).logout();
  }
  async openOnlineSession(...args: Parameters<KsefGateway['openOnlineSession']>) {
    return (await this.#get()).openOnlineSession(...args);
  }
  async sendInvoice(...args: Parameters<KsefGateway['sendInvoice']>) {
    return (await this.#get()).sendInvoice(...args);
  }
  async closeOnlineSession(...args: Parameters<KsefGateway['closeOnlineSession']>) {
    return (await this.#get()).closeOnlineSession(...args);
  }
  async sendBatch(...args: Parameters<KsefGateway['sendBatch']>) {
    return (await this.#get()).sendBatch(...args);
  }
  async getSessionState(...args: Parameters<KsefGateway['getSessionState']>) {
    return (await this.#get()).getSessionState(...args);
  }
  async getInvoiceStatus(...args: Parameters<KsefGateway['getInvoiceStatus']>) {
    return (await this.#get()).getInvoiceStatus(...args);
  }
  async listSessionInvoices(...args: Parameters<KsefGateway['listSessionInvoices']>) {
    return (await this.#get()).listSessionInvoices(...args);
  }
  async findInvoiceByHash(...args: Parameters<KsefGateway['findInvoiceByHash']>) {
    return (await this.#get()).findInvoiceByHash(...args);
  }
  async downloadInvoiceUpo(...args: Parameters<KsefGateway['downloadInvoiceUpo']>) {
    return (await this.#get()).downloadInvoiceUpo(...args);
  }
  async downloadSessionUpo(...args: Parameters<KsefGateway['downloadSessionUpo']>) {
    return (await this.#get()).downloadSessionUpo(...args);
  }
  async queryInvoiceMetadata(...args: Parameters<KsefGateway['queryInvoiceMetadata']>) {
    return (await this.#get()).queryInvoiceMetadata(...args);
  }
  async downloadInvoice(...args: Parameters<KsefGateway['downloadInvoice']>) {
    return (await this.#get()).downloadInvoice(...args);
  }
  async syncInvoices(...args: Parameters<KsefGateway['syncInvoices']>) {
    return (await this.#get()).syncInvoices(...args);
  }
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
