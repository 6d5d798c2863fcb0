import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod/mini';
import type { ApiDeps } from '../api/api-deps.js';
import { DynamoEntryRepository } from '../adapters/aws/dynamo-entry-repository.js';
import { DynamoNotificationStore } from '../adapters/aws/dynamo-notification-store.js';
import { DynamoRunLogRepository } from '../adapters/aws/dynamo-run-log-repository.js';
import { EventBridgeScheduleGateway } from '../adapters/aws/eventbridge-schedule-gateway.js';
import { LambdaRunLauncher } from '../adapters/aws/lambda-run-launcher.js';
import { cryptoIds } from '../adapters/system/crypto-ids.js';
import { CODE_UNIT_IDS, type CodeUnitId } from '../domain/catalogue.js';
import { systemClock } from '../ports/clock.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { JobQueueDeps, RunnerDeps } from '../use-cases/deps.js';
import { createRunOutcomeNotifier, type RunOutcomeNotifier } from '../use-cases/notify.js';
import { awsDocumentDeps, readAwsDocumentsConfig, type AwsDocumentsConfig } from './aws-documents.js';
import { AWS_ENV } from './aws-env.js';
import { createSesMailer, readNotificationConfig } from './notification-config.js';

/*
 * The AWS composition root: the only place (with local.ts) that reads the environment and picks
 * adapters. Clients are created once per Lambda container, on first use, and reused.
 */

const arn = z.string().check(z.regex(/^arn:aws[\w-]*:/, 'must be an ARN'));
const functionArns = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'must be JSON', input: text });
        return z.NEVER;
      }
    }),
  ),
  z.object(Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, arn])) as Record<CodeUnitId, typeof arn>),
);

const awsEnvSchema = z.object({
  [AWS_ENV.tableName]: z.string().check(z.minLength(1)),
  [AWS_ENV.scheduleGroupName]: z.string().check(z.minLength(1)),
  [AWS_ENV.schedulerRoleArn]: arn,
  [AWS_ENV.scheduleDlqArn]: arn,
  [AWS_ENV.codeUnitFunctionArns]: functionArns,
});

export interface AwsConfig {
  readonly tableName: string;
  readonly scheduleGroupName: string;
  readonly schedulerRoleArn: string;
  readonly scheduleDlqArn: string;
  readonly codeUnitFunctionArns: Readonly<Record<CodeUnitId, string>>;
}

export function readAwsConfig(env: NodeJS.ProcessEnv = process.env): AwsConfig {
  const parsed = awsEnvSchema.safeParse(env);
  if (!parsed.success) {
    // zod/mini has no English messages (they would cost the code-unit bundles 3 KB); every variable is a string, so a wrong type means a missing one.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code === 'invalid_type' && issue.path.length === 1 ? 'is required' : issue.message}`).join('; ');
    throw new Error(`The function's environment is misconfigured: ${problems}`);
  }
  const values = parsed.data;
  return {
    tableName: values[AWS_ENV.tableName],
    scheduleGroupName: values[AWS_ENV.scheduleGroupName],
    schedulerRoleArn: values[AWS_ENV.schedulerRoleArn],
    scheduleDlqArn: values[AWS_ENV.scheduleDlqArn],
    codeUnitFunctionArns: values[AWS_ENV.codeUnitFunctionArns],
  };
}

let cached: JobQueueDeps | undefined;

/** The job-queue dependencies on AWS, built once per container. */
export function awsJobQueueDeps(): JobQueueDeps {
  if (cached) return cached;
  const config = readAwsConfig();
  const dynamo = new DynamoDBClient({});
  cached = {
    entries: new DynamoEntryRepository(dynamo, config.tableName),
    runs: new DynamoRunLogRepository(dynamo, config.tableName),
    schedules: new EventBridgeScheduleGateway(new SchedulerClient({}), {
      groupName: config.scheduleGroupName,
      roleArn: config.schedulerRoleArn,
      deadLetterArn: config.scheduleDlqArn,
      targetArns: config.codeUnitFunctionArns,
    }),
    launcher: new LambdaRunLauncher(new LambdaClient({}), config.codeUnitFunctionArns),
    clock: systemClock,
    ids: cryptoIds,
  };
  return cached;
}

let cachedApi: ApiDeps | undefined;

/**
 * The management API's dependencies: the job queues, the notification store (in the same table)
 * and, when DOCUMENTS_BUCKET and KSEF_NIP are set, the documents. A documents misconfiguration is
 * logged loudly and those routes answer 503: the queues stay manageable.
 */
export function awsApiDeps(): ApiDeps {
  if (cachedApi) return cachedApi;
  const { tableName } = readAwsConfig();
  const dynamo = new DynamoDBClient({});
  let documents: AwsDocumentsConfig | undefined;
  try {
    documents = readAwsDocumentsConfig(process.env);
  } catch (error) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'The documents routes are off: their configuration is invalid.', error: String(error) }));
  }
  cachedApi = {
    ...awsJobQueueDeps(),
    notifications: new DynamoNotificationStore(dynamo, tableName),
    ...(documents === undefined ? {} : { documents: awsDocumentDeps(documents, dynamo, tableName) }),
  };
  return cachedApi;
}

let notifier: { readonly notify: RunOutcomeNotifier | undefined } | undefined;

/**
 * The failure and recovery e-mails (SES, state and e-mail log in the table), built once per
 * container from NOTIFY_FROM, NOTIFICATION_INTERVAL_MINUTES, … (notification-config.ts). A
 * misconfiguration is logged loudly and the queues run without e-mails: a broken mail setting
 * must not stop the invoices.
 */
export function awsRunNotifier(): RunOutcomeNotifier | undefined {
  if (notifier) return notifier.notify;
  try {
    const settings = readNotificationConfig(process.env);
    notifier = {
      notify: createRunOutcomeNotifier({
        notifications: new DynamoNotificationStore(new DynamoDBClient({}), readAwsConfig().tableName),
        mailer: createSesMailer(settings),
        clock: systemClock,
        ids: cryptoIds,
        config: settings.notify,
      }),
    };
  } catch (error) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'E-mail notifications are off: their configuration is invalid.', error: String(error) }));
    notifier = { notify: undefined };
  }
  return notifier.notify;
}

export function awsRunnerDeps(codeUnit: CodeUnit): RunnerDeps {
  const { launcher: _launcher, ...deps } = awsJobQueueDeps();
  const notify = awsRunNotifier();
  return { ...deps, codeUnit, ...(notify ? { notify } : {}) };
}
