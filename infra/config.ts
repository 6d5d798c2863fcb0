import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { KsefJobError } from '../functions/domain/errors.js';

/*
 * The CDK app's configuration, read from CDK context (`cdk synth -c stackName=…`) or, failing that,
 * from environment variables (KSEF_STACK_NAME …). Validated here so that a typo fails the synth
 * with a clear message instead of producing a half-configured stack.
 */

/** Longest code-unit id ('incoming-documents') plus '-' must still fit Lambda's 64-character name limit. */
const MAX_STACK_NAME_LENGTH = 45;

const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

const emailAddress = z.email({ error: 'must be an e-mail address' });

export const InfraConfigSchema = z.object({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, { error: 'must start with a letter and contain only letters, digits and hyphens' })
    .max(MAX_STACK_NAME_LENGTH, { error: `must be at most ${MAX_STACK_NAME_LENGTH} characters (function names derive from it)` })
    .default('KsefJobQueues'),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((days) => RETENTION_DAYS.has(days), { error: 'must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …)' })
    .default(90),
  /** Where CloudWatch alarms are e-mailed; no subscription when absent. */
  alarmEmail: emailAddress.optional(),
  /** Default of the stack's SenderAddress parameter (the SES identity the mailer sends from). */
  senderAddress: emailAddress.optional(),
});

export type InfraConfig = z.infer<typeof InfraConfigSchema>;

/** Context key → environment variable that stands in for it. */
const SOURCES = {
  stackName: 'KSEF_STACK_NAME',
  logRetentionDays: 'KSEF_LOG_RETENTION_DAYS',
  alarmEmail: 'KSEF_ALARM_EMAIL',
  senderAddress: 'KSEF_SENDER_ADDRESS',
} as const satisfies Record<keyof InfraConfig, string>;

/** The CDK configuration is invalid; the message names every bad key and where it came from. */
export class InfraConfigError extends KsefJobError {}

/**
 * Builds the configuration from a context reader (usually `app.node.tryGetContext`) and an
 * environment (usually `process.env`). Empty strings count as absent.
 */
export function loadInfraConfig(
  readContext: (key: string) => unknown,
  env: Readonly<Record<string, string | undefined>>,
): InfraConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(SOURCES)) {
    const value = readContext(key) ?? env[envName];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = InfraConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const envName = SOURCES[key as keyof InfraConfig];
      return `${key} (context "${key}" or ${envName ?? 'env'}): ${issue.message}`;
    });
    throw new InfraConfigError(`Invalid CDK configuration:\n  ${problems.join('\n  ')}`, { cause: parsed.error });
  }
  return parsed.data;
}
