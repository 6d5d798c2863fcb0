import { readFile } from 'node:fs/promises';
import { checkSigningCredentials, SigningCredentialsError, type CertificateCredentials, type CredentialSettings, type KsefCredentials } from '../adapters/ksef/client/auth/credentials.js';
import { credentialsFromPkcs12 } from '../adapters/ksef/client/auth/pkcs12.js';
import { HttpKsefGateway, type HttpKsefGatewayOptions } from '../adapters/ksef/client/http-ksef-gateway.js';
import { realTimer, type Timer } from '../adapters/ksef/client/http/rate-budget.js';
import { isSettableClock } from '../adapters/local/scheduler-emulator/manual-clock.js';
import { createKsefSimulator, type KsefSimulator } from '../ksef-sim/simulator.js';
import type { KsefSimulatorOptions } from '../ksef-sim/options.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { KsefGateway } from '../ports/ksef-gateway.js';
import { baseUrlOf, DEFAULT_LOCAL_NIP, environmentOf, KSEF_VARS as V, KsefSettingsError, readKsefSettings, type KsefSettings } from './ksef.js';

/*
 * KSeF in local mode: by default the simulator, started in this process with a KSeF token of the
 * company's NIP registered so that login works out of the box; with KSEF_ENV=TEST|DEMO|PROD (or a
 * KSEF_BASE_URL) the real KSeF, with credentials from variables and files.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalKsef {
  readonly settings: KsefSettings;
  readonly gateway: KsefGateway;
  /** The in-process simulator, when local mode runs one. */
  readonly simulator: KsefSimulator | undefined;
  /** The API base the gateway calls. */
  readonly url: string;
  close(): Promise<void>;
}

export interface LocalKsefOptions {
  /** The clock of the simulator and of the client's waits (tests pass the runtime's ManualClock). */
  readonly clock?: Clock;
  /** Options of the in-process simulator (port, delays, rate limits …). */
  readonly simulator?: KsefSimulatorOptions;
  /** Extra client options; without a `timer` the client waits on `clock` (see clockTimer). */
  readonly client?: Omit<HttpKsefGatewayOptions, 'environment' | 'nip' | 'credentials'>;
}

/** A clock that waits by itself, such as the benchmark's warp clock. */
interface SleepingClock extends Clock {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The KSeF client's timer on a runtime's clock, so that its waits (rate budget, Retry-After,
 * backoff, polling) pass in the same time as the scheduler and the simulator: real time for the
 * system clock; on a clock that tests set by hand, a wait moves that clock on at once instead of
 * sleeping (nothing else would ever move it while a run waits); on a clock that waits by itself,
 * its own sleep; on any other clock, its time with real sleeps.
 */
export function clockTimer(clock: Clock): Timer {
  if (clock === systemClock) return realTimer;
  const now = () => clock.now().getTime();
  const sleeping = clock as Partial<SleepingClock>;
  if (typeof sleeping.sleep === 'function') return { now, sleep: (ms, signal) => (clock as SleepingClock).sleep(ms, signal) };
  if (isSettableClock(clock)) {
    return {
      now,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        clock.set(new Date(now() + Math.max(0, ms)));
      },
    };
  }
  return { now, sleep: realTimer.sleep };
}

export async function startLocalKsef(env: Env, options: LocalKsefOptions = {}): Promise<LocalKsef> {
  const settings = readKsefSettings(env, { target: 'SIMULATOR', nip: DEFAULT_LOCAL_NIP });
  const client = { ...options.client, timer: options.client?.timer ?? clockTimer(options.clock ?? systemClock) };
  if (settings.target === 'SIMULATOR' && settings.baseUrl === undefined) {
    const port = simulatorPort(env);
    const simulator = await createKsefSimulator({ ...(options.clock ? { clock: options.clock } : {}), ...(port === undefined ? {} : { port }), ...options.simulator });
    const token = simulator.registerKsefToken({ nip: settings.nip, description: 'local mode' });
    const gateway = new HttpKsefGateway({ ...client, environment: { name: 'LOCAL', baseUrl: simulator.url }, nip: settings.nip, credentials: { kind: 'token', token } });
    return { settings, gateway, simulator, url: simulator.url, close: () => simulator.close() };
  }
  const credentials = await readLocalCredentials(env);
  if (credentials === undefined) {
    throw new KsefSettingsError(
      `Invalid KSeF configuration: ${V.env}=${settings.target} needs credentials: set ${V.token}, or ${V.certificatePath} + ${V.privateKeyPath}, or ${V.pkcs12Path} (+ ${V.pkcs12Password}).`,
    );
  }
  const environment = environmentOf(settings);
  const gateway = new HttpKsefGateway({ ...client, environment, nip: settings.nip, credentials });
  return { settings, gateway, simulator: undefined, url: baseUrlOf(settings) ?? '', close: async () => undefined };
}

/**
 * The credentials the variables name, or undefined when none is set. Exactly one way may be set;
 * every problem names its variable (and never prints a secret).
 */
export async function readLocalCredentials(env: Env): Promise<KsefCredentials | undefined> {
  const set = (name: string) => value(env, name) !== undefined;
  const ways = [
    set(V.token) ? V.token : null,
    set(V.certificatePath) || set(V.privateKeyPath) ? `${V.certificatePath} + ${V.privateKeyPath}` : null,
    set(V.pkcs12Path) ? V.pkcs12Path : null,
  ].filter((way): way is string => way !== null);
  if (ways.length > 1) throw new KsefSettingsError(`Invalid KSeF configuration: set only one of ${ways.join(', ')}.`);
  if (set(V.privateKeyPassphrase) && !set(V.privateKeyPath)) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.privateKeyPassphrase} is set but ${V.privateKeyPath} is not.`);
  if (set(V.pkcs12Password) && !set(V.pkcs12Path)) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.pkcs12Password} is set but ${V.pkcs12Path} is not.`);

  const token = value(env, V.token);
  if (token !== undefined) return { kind: 'token', token };
  if (set(V.certificatePath) || set(V.privateKeyPath)) {
    if (!set(V.certificatePath)) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.privateKeyPath} is set but ${V.certificatePath} is not.`);
    if (!set(V.privateKeyPath)) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.certificatePath} is set but ${V.privateKeyPath} is not.`);
    const certificatePem = (await readNamedFile(env, V.certificatePath)).toString('utf8');
    const privateKeyPem = (await readNamedFile(env, V.privateKeyPath)).toString('utf8');
    if (!certificatePem.includes('-----BEGIN CERTIFICATE-----')) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.certificatePath}: '${value(env, V.certificatePath)}' is not a PEM certificate.`);
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem)) throw new KsefSettingsError(`Invalid KSeF configuration: ${V.privateKeyPath}: '${value(env, V.privateKeyPath)}' is not a PEM private key.`);
    const passphrase = value(env, V.privateKeyPassphrase);
    return checked({ kind: 'certificate', certificatePem, privateKeyPem, ...(passphrase === undefined ? {} : { passphrase }) }, { certificate: V.certificatePath, privateKey: V.privateKeyPath });
  }
  if (set(V.pkcs12Path)) {
    const bytes = await readNamedFile(env, V.pkcs12Path);
    let credentials: CertificateCredentials;
    try {
      credentials = credentialsFromPkcs12(bytes, env[V.pkcs12Password] ?? '');
    } catch {
      throw new KsefSettingsError(`Invalid KSeF configuration: ${V.pkcs12Path}: '${value(env, V.pkcs12Path)}' cannot be opened with ${V.pkcs12Password} (a wrong password, or not a PKCS#12 file with a key and its certificate).`);
    }
    return checked(credentials, { certificate: V.pkcs12Path, privateKey: V.pkcs12Path });
  }
  return undefined;
}

/** Certificate credentials KSeF would refuse (e.g. an RSA key under 2048 bits) stop the start, naming the variable. */
function checked(credentials: CertificateCredentials, settings: CredentialSettings): CertificateCredentials {
  try {
    checkSigningCredentials(credentials, settings);
  } catch (error) {
    if (error instanceof SigningCredentialsError) throw new KsefSettingsError(`Invalid KSeF configuration: ${error.message}.`, { cause: error });
    throw error;
  }
  return credentials;
}

async function readNamedFile(env: Env, name: string): Promise<Buffer> {
  const path = value(env, name) as string;
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KsefSettingsError(`Invalid KSeF configuration: ${name}: cannot read '${path}' (${code}).`, { cause: error });
  }
}

/** KSEF_SIM_PORT for the in-process simulator; a free port when not set. */
function simulatorPort(env: Env): number | undefined {
  const raw = value(env, 'KSEF_SIM_PORT');
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new KsefSettingsError(`Invalid KSeF configuration: KSEF_SIM_PORT: '${raw}' is not a port (0-65535).`);
  return port;
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}
