import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoEntryRepository } from '../adapters/aws/dynamo-entry-repository.js';
import { DynamoNotificationStore } from '../adapters/aws/dynamo-notification-store.js';
import { DynamoRunLogRepository } from '../adapters/aws/dynamo-run-log-repository.js';
import { EventBridgeScheduleGateway } from '../adapters/aws/eventbridge-schedule-gateway.js';
import { LambdaRunLauncher } from '../adapters/aws/lambda-run-launcher.js';
import { cryptoIds } from '../adapters/system/crypto-ids.js';
import type { WatchdogDeps } from '../handlers/watchdog-handler.js';
import { systemClock } from '../ports/clock.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { JobQueueDeps, RunnerDeps } from '../use-cases/deps.js';
import { createRunOutcomeNotifier, type RunOutcomeNotifier } from '../use-cases/notify.js';
import { awsClients, awsEnvironment, awsLogger, awsMetrics } from './aws-container.js';
import { createSesMailer, readNotificationConfig } from './notification-config.js';

/*
 * The AWS composition root (with aws-api.ts and aws-code-units.ts, each a separate module so that a
 * function's bundle holds only its own adapters; local.ts is the other runtime's): the handlers in
 * functions/handlers bind to these. Everything is built on first use and kept for the
 * container's life (aws-container.ts holds the environment, the clients, the logger and metrics).
 */

let jobQueueDeps: JobQueueDeps | undefined;

/** The job-queue dependencies on AWS. */
export function awsJobQueueDeps(): JobQueueDeps {
  if (jobQueueDeps) return jobQueueDeps;
  const env = awsEnvironment();
  const dynamo = awsClients.dynamo();
  jobQueueDeps = {
    entries: new DynamoEntryRepository(dynamo, env.tableName),
    runs: new DynamoRunLogRepository(dynamo, env.tableName),
    schedules: new EventBridgeScheduleGateway(awsClients.scheduler(), {
      groupName: env.scheduleGroupName,
      roleArn: env.schedulerRoleArn,
      deadLetterArn: env.scheduleDlqArn,
      targetArns: env.codeUnitFunctionArns,
    }),
    launcher: new LambdaRunLauncher(awsClients.lambda(), env.codeUnitFunctionArns),
    clock: systemClock,
    ids: cryptoIds,
    logger: awsLogger(),
  };
  return jobQueueDeps;
}

let notifier: { readonly notify: RunOutcomeNotifier | undefined } | undefined;

/**
 * The failure and recovery e-mails (SES, state and e-mail log in the table), from NOTIFY_FROM,
 * NOTIFICATION_INTERVAL_MINUTES, … (notification-config.ts). A misconfiguration is logged loudly
 * and the queues run without e-mails: a broken mail setting must not stop the invoices.
 */
export function awsRunNotifier(): RunOutcomeNotifier | undefined {
  if (notifier) return notifier.notify;
  const env = awsEnvironment();
  try {
    const settings = readNotificationConfig(env.variables);
    notifier = {
      notify: createRunOutcomeNotifier({
        notifications: new DynamoNotificationStore(awsClients.dynamo(), env.tableName),
        mailer: createSesMailer(settings, settings.sesEndpoint === undefined ? awsClients.ses() : undefined),
        clock: systemClock,
        ids: cryptoIds,
        config: settings.notify,
        logger: awsLogger(),
        metrics: awsMetrics(),
      }),
    };
  } catch (error) {
    awsLogger().error('E-mail notifications are off: their configuration is invalid.', { error: String(error) });
    notifier = { notify: undefined };
  }
  return notifier.notify;
}

/** What the run protocol needs to run `codeUnit` on AWS. */
export function awsRunnerDeps(codeUnit: CodeUnit): RunnerDeps {
  const { launcher: _launcher, ...deps } = awsJobQueueDeps();
  const notify = awsRunNotifier();
  return { ...deps, codeUnit, metrics: awsMetrics(), ...(notify ? { notify } : {}) };
}

/** The watchdog's: the reconciler's dependencies, the notifier, the metrics and the documents it measures. */
export function awsWatchdogDeps(): WatchdogDeps {
  const { launcher: _launcher, ...deps } = awsJobQueueDeps();
  const notify = awsRunNotifier();
  return {
    ...deps,
    metrics: awsMetrics(),
    documents: new DynamoDocumentRepository(awsClients.dynamo(), awsEnvironment().tableName),
    ...(notify ? { notify } : {}),
  };
}
