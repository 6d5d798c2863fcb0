import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import { KsefJobError } from '../domain/errors.js';
import { DEFAULT_NOTIFICATION_INTERVAL_MINUTES, MAX_NOTIFICATION_INTERVAL_MINUTES } from '../domain/notification-policy.js';
import type { NotificationConfig } from '../use-cases/notify.js';

/**
 * Environment variables of the e-mail notifications, the same on AWS (set by CDK on the code-unit
 * and management functions) and in local mode. Names are contracts: keep them.
 */
export const NOTIFICATION_ENV = {
  /** Sender address; on AWS an address of the stack's SES identity (the SenderAddress parameter). */
  from: 'NOTIFY_FROM',
  /** At most one failure e-mail per queue per this many minutes; default 60. */
  intervalMinutes: 'NOTIFICATION_INTERVAL_MINUTES',
  /** Shown in every e-mail's subject, e.g. `prod`, `test`; default `local` locally. */
  environmentName: 'ENVIRONMENT_NAME',
  /** Base URL of the management API for the links in the e-mails. */
  apiBaseUrl: 'API_BASE_URL',
  /** Optional SES configuration set. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Optional SES endpoint override (an external aws-ses-v2-local); local mode starts its own outbox. */
  sesEndpoint: 'SES_ENDPOINT',
} as const;

export interface NotificationSettings {
  readonly notify: NotificationConfig;
  readonly sesConfigurationSet: string | undefined;
  readonly sesEndpoint: string | undefined;
}

export interface NotificationDefaults {
  readonly from?: string;
  readonly environmentName?: string;
  readonly apiBaseUrl?: string;
}

/** Local mode's defaults: nothing needs configuring to see e-mails arrive in the local outbox. */
export const LOCAL_NOTIFICATION_DEFAULTS = { from: 'ksef-job-queues@example.com', environmentName: 'local' } as const;

export class NotificationConfigError extends KsefJobError {}

const schema = z.object({
  from: z.email({ error: 'must be an e-mail address' }),
  intervalMinutes: z._default(
    z.coerce.number().check(
      z.int({ error: 'must be a whole number of minutes' }),
      z.gte(1, { error: 'must be at least 1' }),
      z.lte(MAX_NOTIFICATION_INTERVAL_MINUTES, { error: `must be at most ${MAX_NOTIFICATION_INTERVAL_MINUTES}` }),
    ),
    DEFAULT_NOTIFICATION_INTERVAL_MINUTES,
  ),
  environmentName: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  apiBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  sesConfigurationSet: z.optional(z.string().check(z.minLength(1))),
  sesEndpoint: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
});

/**
 * Reads and validates the notification settings; `defaults` fill what the environment leaves out
 * (local mode passes LOCAL_NOTIFICATION_DEFAULTS and its own API URL). Empty strings count as absent.
 */
export function readNotificationConfig(env: Readonly<Record<string, string | undefined>>, defaults: NotificationDefaults = {}): NotificationSettings {
  const raw: Record<string, unknown> = { ...defaults };
  for (const [key, name] of Object.entries(NOTIFICATION_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '') as keyof typeof NOTIFICATION_ENV;
      return `  ${NOTIFICATION_ENV[key] ?? key}: ${raw[key] === undefined ? 'is required' : issue.message}`;
    });
    throw new NotificationConfigError(`Invalid notification configuration:\n${lines.join('\n')}`, { cause: parsed.error });
  }
  const { sesConfigurationSet, sesEndpoint, ...notify } = parsed.data;
  return { notify, sesConfigurationSet, sesEndpoint };
}

/** The SES mailer for these settings (region and credentials from the Lambda environment on AWS). */
export function createSesMailer(settings: NotificationSettings, client?: SESv2Client): SesMailer {
  const ses = client ?? new SESv2Client(settings.sesEndpoint ? { endpoint: settings.sesEndpoint } : {});
  return new SesMailer(ses, { configurationSetName: settings.sesConfigurationSet });
}
