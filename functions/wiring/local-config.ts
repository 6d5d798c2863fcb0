import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import * as z from 'zod';
import { nipProblem } from '../domain/nip.js';

/** A NIP with a valid check digit, for trying local mode out (the one in KSeF's own samples). */
export const DEFAULT_LOCAL_KSEF_NIP = '5265877635';

/**
 * Local mode's configuration, read from the environment once at start-up.
 * Names are contracts that admins' scripts rely on: keep them.
 */
const localEnvSchema = z.object({
  /** 0 picks a free port (the URL is printed). */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Bearer token of the management API; generated and printed when not set. */
  API_TOKEN: z.string().min(16, 'API_TOKEN must be at least 16 characters').optional(),
  /** Where the embedded DynamoDB and the scheduler keep their data across restarts. */
  DATA_DIR: z.string().min(1).default('.local/data'),
  /** Interface the management API listens on; loopback unless you mean otherwise. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** The company's NIP: the seller of every invoice POST /documents accepts; a test NIP when not set. */
  KSEF_NIP: z
    .string()
    .trim()
    .optional()
    .superRefine((value, ctx) => {
      const problem = value === undefined || value === '' ? null : nipProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: `KSEF_NIP '${value}' ${problem}` });
    }),
});

export interface LocalConfig {
  readonly port: number;
  readonly host: string;
  readonly apiToken: string;
  readonly apiTokenGenerated: boolean;
  readonly dataDir: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
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
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { PORT, API_TOKEN, DATA_DIR, HOST, LOG_LEVEL, KSEF_NIP } = parsed.data;
  const nipGiven = KSEF_NIP !== undefined && KSEF_NIP !== '';
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
