import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateScheduleCommand, ResourceNotFoundException, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import type { ApiDocumentDeps } from '../api/api-deps.js';
import { createApiHandler, type ApiHandler } from '../api/create-api-handler.js';
import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoEntryRepository } from '../adapters/aws/dynamo-entry-repository.js';
import { DynamoIncomingDocumentRepository } from '../adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoKsefSessionRepository } from '../adapters/aws/dynamo-ksef-session-repository.js';
import { DynamoLedgerRepository } from '../adapters/aws/dynamo-ledger-repository.js';
import { DynamoNotificationStore } from '../adapters/aws/dynamo-notification-store.js';
import { DynamoRunLogRepository } from '../adapters/aws/dynamo-run-log-repository.js';
import { DynamoSyncStateRepository } from '../adapters/aws/dynamo-sync-state-repository.js';
import { EventBridgeScheduleGateway } from '../adapters/aws/eventbridge-schedule-gateway.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import { BackgroundWork } from '../adapters/local/background-work.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../adapters/local/embedded-dynamodb.js';
import { FileDocumentStore } from '../adapters/local/file-document-store.js';
import { startLocalApiServer, type RunningLocalApiServer } from '../adapters/local/http-server.js';
import { InProcessRunLauncher, type LocalFunction } from '../adapters/local/in-process-run-launcher.js';
import { lambdaContext } from '../adapters/local/lambda-context.js';
import { startLocalOutbox, type LocalOutbox } from '../adapters/local/local-outbox.js';
import { startSchedulerEmulator, type SchedulerEmulator } from '../adapters/local/scheduler-emulator/scheduler-emulator.js';
import { MemoryDocumentStore } from '../adapters/memory/memory-document-store.js';
import { MemoryMetrics } from '../adapters/memory/memory-metrics.js';
import { powertoolsLogger } from '../adapters/powertools/powertools-logger.js';
import { cryptoIds } from '../adapters/system/crypto-ids.js';
import { fa3Parser } from '../adapters/xml/fa3-parser.js';
import { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import { createCodeUnits } from '../code-units/registry.js';
import { CODE_UNIT_IDS, type CodeUnitId } from '../domain/catalogue.js';
import { codeUnitHandler } from '../handlers/code-unit-handler.js';
import { watchdogHandler, type WatchdogDeps } from '../handlers/watchdog-handler.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { Logger } from '../ports/logger.js';
import type { NotificationStore } from '../ports/notification-store.js';
import type { JobQueueDeps, RunnerDeps } from '../use-cases/deps.js';
import { createRunOutcomeNotifier } from '../use-cases/notify.js';
import type { ReconcileReport } from '../use-cases/reconcile-schedules.js';
import type { RunEntryOptions } from '../use-cases/run-entry.js';
import { AWS_METRICS } from './aws-metrics.js';
import { startLocalKsef, type LocalKsef, type LocalKsefOptions } from './ksef-local.js';
import { DEFAULT_LOCAL_KSEF_NIP, type LocalConfig } from './local-config.js';
import { LOCAL_NOTIFICATION_DEFAULTS, NOTIFICATION_ENV, readNotificationConfig } from './notification-config.js';
import {
  LOCAL_CODE_UNIT_ARNS,
  LOCAL_DLQ_ARN,
  LOCAL_SCHEDULE_GROUP,
  LOCAL_SCHEDULER_ROLE_ARN,
  LOCAL_SYSTEM_SCHEDULE_GROUP,
  LOCAL_TABLE_NAME,
  LOCAL_WATCHDOG_ARN,
} from './local-names.js';

/*
 * Local mode's composition root: the same adapters as on AWS (DynamoDB, EventBridge Scheduler, SES),
 * pointed at in-process stand-ins (dynalite, the Scheduler emulator, the SES outbox), and the same
 * handler functions (functions/handlers) as on Lambda. Only the Lambda service itself is replaced: a
 * schedule's target ARN, or a run-now, is resolved to the function's handler in this process, which
 * is invoked with the event and a Context as Lambda would, started without waiting, as Lambda's
 * asynchronous Invoke is. The logger is Powertools (LOG_LEVEL); metrics are kept in memory.
 */

export interface LocalRuntimeOptions {
  /** Where time comes from; tests pass a ManualClock together with `timers: 'manual'`. */
  readonly clock?: Clock;
  /** `manual`: nothing fires until the test advances the scheduler. Default `real`. */
  readonly timers?: 'real' | 'manual';
  /** The work of each queue; default: the built-in code units. */
  readonly codeUnits?: Partial<Record<CodeUnitId, CodeUnit>>;
  readonly runOptions?: RunEntryOptions;
  /** Keep data in memory only (tests); default: on disk under config.dataDir. */
  readonly inMemory?: boolean;
  /**
   * The in-process KSeF simulator's options (delays, rate limits …) and the client's; KSeF itself is
   * chosen by KSEF_ENV in `env`. The client waits on `clock` unless `ksef.client.timer` says otherwise.
   */
  readonly ksef?: LocalKsefOptions;
  /**
   * Where the e-mail settings (NOTIFY_FROM, NOTIFICATION_INTERVAL_MINUTES, …, see notification-config.ts)
   * and OUTBOX_PORT are read; default process.env. Nothing is required: LOCAL_NOTIFICATION_DEFAULTS apply.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: a Powertools logger at config.logLevel. */
  readonly logger?: Logger;
}

export interface LocalRuntime {
  readonly apiUrl: string;
  readonly deps: JobQueueDeps;
  readonly api: ApiHandler;
  readonly scheduler: SchedulerEmulator;
  readonly dynamo: EmbeddedDynamo;
  /** The local SES-compatible outbox the failure and recovery e-mails go to (a person reads it at outbox.webUrl). */
  readonly outbox: LocalOutbox;
  /** Global recipients, notification states and the e-mail log, in the embedded DynamoDB. */
  readonly notifications: NotificationStore;
  /** What the documents routes use: the same DynamoDB, XML under DATA_DIR/documents, the company NIP. */
  readonly documents: ApiDocumentDeps;
  /** KSeF as the code units see it: by default the in-process simulator (`ksef.simulator`), for the company NIP. */
  readonly ksef: LocalKsef;
  /** Every metric point the runtime published (the log has them at DEBUG). */
  readonly metrics: MemoryMetrics;
  readonly logger: Logger;
  /** Runs the watchdog now (it also runs every five minutes on its own schedule). */
  reconcile(): Promise<ReconcileReport>;
  /** Resolves when every run started so far has ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The watchdog's own schedule, as the CDK stack defines it on AWS. */
const WATCHDOG_SCHEDULE = { name: 'watchdog', expression: 'rate(5 minutes)' } as const;
/** The functions' timeouts on AWS (infra/constructs/code-unit-functions.ts, watchdog.ts), given to each Context. */
const TIMEOUT_MS = { codeUnit: 15 * 60_000, watchdog: 2 * 60_000 } as const;

export async function startLocalRuntime(config: LocalConfig, options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? powertoolsLogger({ serviceName: AWS_METRICS.serviceName, logLevel: config.logLevel });
  const metrics = new MemoryMetrics(logger);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => logger.error('Local mode could not stop a part cleanly.', { error }));
  };
  try {
    if (!options.inMemory) await mkdir(config.dataDir, { recursive: true });

    const dynamo = await startEmbeddedDynamo(options.inMemory ? {} : { path: join(config.dataDir, 'dynamodb') });
    closers.push(() => dynamo.close());
    await ensureTable(dynamo.createClient(), LOCAL_TABLE_NAME);

    const scheduler = await startSchedulerEmulator({
      clock,
      timers: options.timers ?? 'real',
      ...(options.inMemory ? {} : { dataDir: join(config.dataDir, 'scheduler') }),
      scheduleGroups: [LOCAL_SCHEDULE_GROUP, LOCAL_SYSTEM_SCHEDULE_GROUP],
      logger,
    });
    closers.push(() => scheduler.close());

    // Every repository once, in the one table, shared by the functions as their Lambda twins share it.
    const db = dynamo.createDocumentClient();
    const entries = new DynamoEntryRepository(db, LOCAL_TABLE_NAME);
    const runs = new DynamoRunLogRepository(db, LOCAL_TABLE_NAME, { clock });
    const notifications = new DynamoNotificationStore(db, LOCAL_TABLE_NAME, { clock });
    const documentRepository = new DynamoDocumentRepository(db, LOCAL_TABLE_NAME);
    const incoming = new DynamoIncomingDocumentRepository(db, LOCAL_TABLE_NAME);
    const ledger = new DynamoLedgerRepository(db, LOCAL_TABLE_NAME);
    const blobs = options.inMemory ? new MemoryDocumentStore() : new FileDocumentStore(join(config.dataDir, 'documents'));
    const schedules = new EventBridgeScheduleGateway(scheduler.createClient(), {
      groupName: LOCAL_SCHEDULE_GROUP,
      roleArn: LOCAL_SCHEDULER_ROLE_ARN,
      deadLetterArn: LOCAL_DLQ_ARN,
      targetArns: LOCAL_CODE_UNIT_ARNS,
    });

    // Failure and recovery e-mails: the same SesMailer as on AWS, sent to the in-process SES outbox.
    // Their links point at the API, whose URL is known once it listens (PORT=0 picks a port): set below.
    const env = options.env ?? process.env;
    const outbox = await startOutbox(env, config);
    closers.push(() => outbox.close());
    const notificationSettings = readNotificationConfig(env, { ...LOCAL_NOTIFICATION_DEFAULTS, apiBaseUrl: `http://${config.host}:${config.port}` });
    const notifyConfig = { ...notificationSettings.notify };
    const notify = createRunOutcomeNotifier({
      notifications,
      mailer: new SesMailer(outbox.createClient(), { configurationSetName: notificationSettings.sesConfigurationSet }),
      clock,
      ids: cryptoIds,
      config: notifyConfig,
      logger,
      metrics,
    });

    // KSeF (the simulator unless KSEF_ENV says otherwise) and the code units, before anything can fire a run.
    const companyNip = config.companyNip ?? DEFAULT_LOCAL_KSEF_NIP;
    const ksefOptions = options.ksef ?? {};
    const ksef = await startLocalKsef({ ...env, KSEF_NIP: companyNip }, { clock, ...ksefOptions, client: { logger, metrics, ...ksefOptions.client } });
    closers.push(() => ksef.close());
    const syncState = new DynamoSyncStateRepository(db, LOCAL_TABLE_NAME);
    const registered = createCodeUnits({
      ksef: ksef.gateway,
      documents: documentRepository,
      incoming,
      ledger,
      blobs,
      sessions: new DynamoKsefSessionRepository(db, LOCAL_TABLE_NAME),
      syncState,
      parser: fa3Parser,
    });
    const codeUnits: Record<CodeUnitId, CodeUnit> = { ...registered, ...options.codeUnits };

    // The functions, as the Lambda handlers of functions/handlers bind them on AWS.
    const runnerDeps = (codeUnit: CodeUnit): RunnerDeps => ({ entries, runs, schedules, clock, ids: cryptoIds, logger, metrics, notify, codeUnit });
    const watchdogDeps: WatchdogDeps = { entries, runs, schedules, clock, logger, metrics, notify, documents: documentRepository };
    const codeUnitFunctions = Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, codeUnitHandler(codeUnits[id], runnerDeps, options.runOptions)])) as Record<CodeUnitId, LocalFunction>;
    const watchdog = watchdogHandler(() => watchdogDeps);
    const functions = new Map<string, { readonly name: string; readonly handler: LocalFunction; readonly timeoutMs: number }>([
      ...CODE_UNIT_IDS.map((id) => [LOCAL_CODE_UNIT_ARNS[id], { name: id, handler: codeUnitFunctions[id], timeoutMs: TIMEOUT_MS.codeUnit }] as const),
      [LOCAL_WATCHDOG_ARN, { name: 'watchdog', handler: watchdog, timeoutMs: TIMEOUT_MS.watchdog }],
    ]);

    // Scheduled runs, manual runs and the watchdog: started like async invokes, awaited at shutdown.
    const background = new BackgroundWork(logger);
    closers.push(() => background.idle());
    const launcher = new InProcessRunLauncher((codeUnit) => codeUnitFunctions[codeUnit], background);
    const deps: JobQueueDeps = { entries, runs, schedules, launcher, clock, ids: cryptoIds, logger };
    scheduler.setTargetInvoker(async (targetArn, input) => {
      const fn = functions.get(targetArn);
      if (!fn) throw new Error(`No local function answers to ${targetArn}.`);
      const event: unknown = JSON.parse(input);
      // Started, not awaited: a Lambda async invoke returns before the run ends.
      background.start(`invocation of ${fn.name}`, () => fn.handler(event, lambdaContext({ functionName: fn.name, timeoutMs: fn.timeoutMs })));
    });
    await putWatchdogSchedule(scheduler);
    const reconcile = (): Promise<ReconcileReport> => watchdog({}, lambdaContext({ functionName: 'watchdog', timeoutMs: TIMEOUT_MS.watchdog }));

    const validator = new XmllintXsdValidator();
    closers.push(() => validator.close());
    const documents: ApiDocumentDeps = {
      documents: documentRepository,
      incoming,
      ledger,
      blobs,
      validator,
      parser: fa3Parser,
      clock,
      newDocumentId: randomUUID,
      companyNip,
      syncState,
    };

    // The access log follows LOG_LEVEL (INFO logs one line per request).
    const api = createApiHandler({ ...deps, localActor: 'local-admin', notifications, documents });
    const server: RunningLocalApiServer = await startLocalApiServer({ handler: api, token: config.apiToken, host: config.host, port: config.port, logger });
    closers.push(() => server.close());
    if (!env[NOTIFICATION_ENV.apiBaseUrl]) notifyConfig.apiBaseUrl = server.url;

    return {
      apiUrl: server.url,
      deps,
      api,
      scheduler,
      dynamo,
      outbox,
      notifications,
      documents,
      ksef,
      metrics,
      logger,
      reconcile,
      idle: () => background.idle(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The outbox on OUTBOX_PORT, else on the API's port + 1 (3001 by default) so that its address stays
 * the same across restarts, else (that port taken, or PORT=0) on a free port; its URL is printed.
 */
async function startOutbox(env: Readonly<Record<string, string | undefined>>, config: LocalConfig): Promise<LocalOutbox> {
  const configured = env.OUTBOX_PORT ? Number(env.OUTBOX_PORT) : undefined;
  if (configured !== undefined && (!Number.isInteger(configured) || configured < 0 || configured > 65_535)) {
    throw new Error(`OUTBOX_PORT must be a port number from 0 to 65535, got '${env.OUTBOX_PORT ?? ''}'.`);
  }
  if (configured !== undefined) return startLocalOutbox({ port: configured });
  const preferred = config.port === 0 || config.port >= 65_535 ? 0 : config.port + 1;
  try {
    return await startLocalOutbox({ port: preferred });
  } catch {
    return startLocalOutbox({ port: 0 });
  }
}

async function putWatchdogSchedule(scheduler: SchedulerEmulator): Promise<void> {
  const client = scheduler.createClient();
  const request = {
    Name: WATCHDOG_SCHEDULE.name,
    GroupName: LOCAL_SYSTEM_SCHEDULE_GROUP,
    ScheduleExpression: WATCHDOG_SCHEDULE.expression,
    State: 'ENABLED' as const,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: { Arn: LOCAL_WATCHDOG_ARN, RoleArn: LOCAL_SCHEDULER_ROLE_ARN, Input: '{}' },
    Description: 'Repairs schedules that drifted from their entries, stale leases and missed runs.',
  };
  try {
    await client.send(new UpdateScheduleCommand(request));
  } catch (error) {
    // First start on this data directory: the schedule does not exist yet. Anything else is real.
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateScheduleCommand(request));
  }
}
