import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { KsefJobError } from '../functions/domain/errors.js';
import { nipProblem } from '../functions/domain/nip.js';
import { DEFAULT_NOTIFICATION_INTERVAL_MINUTES, MAX_NOTIFICATION_INTERVAL_MINUTES } from '../functions/domain/notification-policy.js';

/*
 * The CDK app's configuration, read from CDK context (`cdk synth -c stackName=…`) or, failing that,
 * from environment variables (KSEF_STACK_NAME …). Validated here so that a typo fails the synth
 * with a clear message instead of producing a half-configured stack.
 *
 * Settings the functions read at runtime come from variables of the same name as the runtime's
 * (KSEF_NIP, KSEF_ENV, …), so one set of variables describes the company in local mode and on AWS.
 */

/** Longest code-unit id ('incoming-documents') plus '-' must still fit Lambda's 64-character name limit. */
const MAX_STACK_NAME_LENGTH = 45;

const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

const emailAddress = z.email({ error: 'must be an e-mail address' });

/** A complete Secrets Manager ARN (with the 6-character suffix), so that IAM can name it exactly. */
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

/** Longest ENVIRONMENT_NAME the functions accept (functions/wiring/notification-config.ts). */
export const MAX_ENVIRONMENT_NAME_LENGTH = 40;

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
  /** The KSeF environment the code units talk to. */
  ksefEnv: z.enum(['TEST', 'DEMO', 'PROD'], { error: 'must be TEST, DEMO or PROD' }).default('TEST'),
  /** Replaces the base URL of ksefEnv (a proxy in front of KSeF); credentials travel over it, so https only. */
  ksefBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  /** Default of the stack's KsefNip parameter (the company's NIP, its KSeF context). */
  ksefNip: z
    .string()
    .trim()
    .superRefine((nip, ctx) => {
      const problem = nipProblem(nip);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (a NIP is 10 digits with a check digit)` });
    })
    .optional(),
  /** An existing secret with the KSeF credentials; without it the stack creates an empty one. */
  ksefSecretArn: z
    .string()
    .regex(SECRET_ARN, { error: 'must be the complete ARN of a Secrets Manager secret (arn:aws:secretsmanager:…:secret:name-AbCdEf)' })
    .optional(),
  /** At most one failure e-mail per queue per this many minutes. */
  notificationIntervalMinutes: z.coerce
    .number()
    .int({ error: 'must be a whole number of minutes' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_NOTIFICATION_INTERVAL_MINUTES, { error: `must be at most ${MAX_NOTIFICATION_INTERVAL_MINUTES}` })
    .default(DEFAULT_NOTIFICATION_INTERVAL_MINUTES),
  /** Shown in every e-mail's subject (`prod`, `test`); the stack name when absent. */
  environmentName: z
    .string()
    .trim()
    .min(1)
    .max(MAX_ENVIRONMENT_NAME_LENGTH, { error: `must be at most ${MAX_ENVIRONMENT_NAME_LENGTH} characters` })
    .optional(),
});

export type InfraConfig = z.infer<typeof InfraConfigSchema>;

/** Context key → environment variable that stands in for it. */
const SOURCES = {
  stackName: 'KSEF_STACK_NAME',
  logRetentionDays: 'KSEF_LOG_RETENTION_DAYS',
  alarmEmail: 'KSEF_ALARM_EMAIL',
  senderAddress: 'KSEF_SENDER_ADDRESS',
  ksefEnv: 'KSEF_ENV',
  ksefBaseUrl: 'KSEF_BASE_URL',
  ksefNip: 'KSEF_NIP',
  ksefSecretArn: 'KSEF_SECRET_ARN',
  notificationIntervalMinutes: 'NOTIFICATION_INTERVAL_MINUTES',
  environmentName: 'ENVIRONMENT_NAME',
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

/** The name shown in the e-mails: the configured one, or the stack name cut to the length the functions accept. */
export const environmentNameOf = (config: InfraConfig): string =>
  config.environmentName ?? config.stackName.slice(0, MAX_ENVIRONMENT_NAME_LENGTH);
