import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import * as z from 'zod';
import { nipProblem } from '../domain/nip.js';
import { LOG_LEVELS, type LogLevel } from '../ports/logger.js';

/** A NIP with a valid check digit, for trying local mode out (the one in KSeF's own samples). */
export const DEFAULT_LOCAL_KSEF_NIP = '5265877635';

const MIN_TOKEN_LENGTH = 16;

/** The value as an admin typed it, quoted and cut short, for messages. */
const quoted = (value: unknown): string => `'${String(value).slice(0, 100)}'`;

/** An empty variable counts as not set, as for OUTBOX_PORT and the KSeF settings. */
const unsetWhenEmpty = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function portVariable(name: string) {
  return z
    .string()
    .refine((value) => /^\d{1,5}$/.test(value.trim()) && Number(value) <= 65_535, {
      error: (issue) => `${name} must be a whole number from 0 to 65535 (0 picks a free port), got ${quoted(issue.input)}`,
    })
    .transform(Number);
}

/**
 * Local mode's configuration, read from the environment once at start-up. Every bad variable is
 * reported by its name with what it must be. Names are contracts that admins' scripts rely on: keep them.
 */
const localEnvSchema = z.object({
  /** 0 picks a free port (the URL is printed). */
  PORT: z.preprocess(unsetWhenEmpty, portVariable('PORT').default(3000)),
  /** Read by the runtime (wiring/local.ts); checked here so that a bad one stops `npm start` at once. */
  OUTBOX_PORT: z.preprocess(unsetWhenEmpty, portVariable('OUTBOX_PORT').optional()),
  /** Bearer token of the management API; generated and printed when not set. Never echoed. */
  API_TOKEN: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .min(MIN_TOKEN_LENGTH, { error: (issue) => `API_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters, got ${String(issue.input).length}; leave it unset to have one generated` })
      .optional(),
  ),
  /** Where the embedded DynamoDB and the scheduler keep their data across restarts. */
  DATA_DIR: z.preprocess(unsetWhenEmpty, z.string().default('.local/data')),
  /** Interface the management API listens on; loopback unless you mean otherwise. */
  HOST: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^[\w.:-]+$/, { error: (issue) => `HOST must be an interface address or host name such as 127.0.0.1 or ::1, got ${quoted(issue.input)}` })
      .default('127.0.0.1'),
  ),
  LOG_LEVEL: z.preprocess(
    unsetWhenEmpty,
    z.enum(LOG_LEVELS, { error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${quoted(issue.input)}` }).default('INFO'),
  ),
  /** The company's NIP: the seller of every invoice POST /documents accepts; a test NIP when not set. */
  KSEF_NIP: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .trim()
      .optional()
      .superRefine((value, ctx) => {
        const problem = value === undefined ? null : nipProblem(value);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: `KSEF_NIP ${quoted(value)} ${problem}; it must be the company's NIP` });
      }),
  ),
});

export interface LocalConfig {
  readonly port: number;
  readonly host: string;
  readonly apiToken: string;
  readonly apiTokenGenerated: boolean;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** KSEF_NIP; readLocalConfig falls back to DEFAULT_LOCAL_KSEF_NIP (and so does the runtime when absent). */
  readonly companyNip?: string;
  readonly companyNipDefaulted?: boolean;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const parsed = localEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Each message above names its variable; one zod words itself (none expected) still gets the name.
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
    });
    throw new ConfigurationError(lines.length === 1 ? `Invalid configuration: ${lines[0]}.` : `Invalid configuration:\n${lines.map((line) => `  ${line}.`).join('\n')}`);
  }
  const { PORT, API_TOKEN, DATA_DIR, HOST, LOG_LEVEL, KSEF_NIP } = parsed.data;
  const nipGiven = KSEF_NIP !== undefined;
  return {
    port: PORT,
    host: HOST,
    apiToken: API_TOKEN ?? randomBytes(24).toString('base64url'),
    apiTokenGenerated: API_TOKEN === undefined,
    dataDir: resolve(DATA_DIR),
    logLevel: LOG_LEVEL,
    companyNip: nipGiven ? KSEF_NIP : DEFAULT_LOCAL_KSEF_NIP,
    companyNipDefaulted: !nipGiven,
  };
}

/** The port variables `npm start` listens on, in the order they are tried against a failing port. */
const PORT_VARIABLES = ['PORT', 'OUTBOX_PORT', 'KSEF_SIM_PORT'] as const;

const LISTEN_ERRORS = ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'] as const;

/**
 * The one line `npm start` prints when it cannot listen where it was told to (a port in use, a
 * privileged port, a HOST that is not this machine's), naming the variable; null for any other
 * error. The outbox's default port (PORT + 1) never gets here: the runtime falls back to a free one.
 */
export function listenFailureMessage(error: unknown, config: Pick<LocalConfig, 'port' | 'host'>, env: NodeJS.ProcessEnv = process.env): string | null {
  const failure = error as { code?: unknown; port?: unknown; address?: unknown; cause?: unknown } | null;
  if (typeof failure !== 'object' || failure === null) return null;
  if (!(LISTEN_ERRORS as readonly unknown[]).includes(failure.code)) return listenFailureMessage(failure.cause, config, env);
  const port = typeof failure.port === 'number' ? failure.port : config.port;
  const host = typeof failure.address === 'string' ? failure.address : config.host;
  if (failure.code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine; set HOST to one of its addresses, such as 127.0.0.1.`;
  const name = PORT_VARIABLES.find((variable) => (variable === 'PORT' ? config.port : Number(unsetWhenEmpty(env[variable]) ?? Number.NaN)) === port) ?? 'Port';
  if (failure.code === 'EACCES') return `${name} ${port} needs privileges this process does not have; set ${name} to a port above 1023, or ${name}=0 to pick one.`;
  if (name === 'Port') return `Port ${port} on ${host} is already in use by another program; stop it, or free the port, and start again.`;
  return `${name} ${port} is already in use on ${host} (another npm start, or another program); set ${name} to a free port, or ${name}=0 to pick one.`;
}
