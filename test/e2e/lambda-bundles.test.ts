import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDocumentRepository } from '../../functions/adapters/aws/dynamo-document-repository.js';
import { DynamoEntryRepository } from '../../functions/adapters/aws/dynamo-entry-repository.js';
import { DynamoRunLogRepository } from '../../functions/adapters/aws/dynamo-run-log-repository.js';
import { EventBridgeScheduleGateway } from '../../functions/adapters/aws/eventbridge-schedule-gateway.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { startLocalOutbox, type LocalOutbox } from '../../functions/adapters/local/local-outbox.js';
import { startSchedulerEmulator, type SchedulerEmulator } from '../../functions/adapters/local/scheduler-emulator/scheduler-emulator.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { desiredSchedule } from '../../functions/domain/schedule.js';
import { apiGatewayEvent } from '../helpers/api-test-client.js';
import { makeEntry } from '../helpers/entry-factory.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3-server.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';
import { node22 } from '../helpers/node22.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../wiring/helpers/fake-secrets-manager.js';
import { buildBundles, invokeBundle } from './helpers/lambda-bundles.js';
import { stackEnvironments } from './helpers/stack-environment.js';

/*
 * The built Lambda bundles, run as Lambda runs them: built with the CDK app's esbuild options, each
 * in a fresh Node 22 process with the environment the synthesized stack gives its function, against
 * the local stand-ins (dynalite, the Scheduler emulator's HTTP API, the SES outbox, an S3-compatible
 * server, a Secrets Manager one and the KSeF simulator) reached through AWS_ENDPOINT_URL_<SERVICE>.
 * An invoice goes in through an API Gateway v2 event, a scheduled trigger sends it to KSeF, and the
 * API answers with the run.
 */

const BUCKET = 'ksef-documents';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:ksef-credentials';

let dynamo: EmbeddedDynamo;
let scheduler: SchedulerEmulator;
let outbox: LocalOutbox;
let s3: FakeS3;
let secrets: FakeSecretsManager;
let ksef: KsefSimulator;
let node: string;
let bundles: Record<string, string>;
let env: { readonly api: Record<string, string>; readonly sendDocuments: Record<string, string>; readonly tableName: string; readonly scheduleGroup: string };

beforeAll(async () => {
  node = node22();
  // One esbuild run for both bundles; the environment from the synthesized stack.
  const built = await buildBundles({ api: 'handlers/api.ts', 'send-documents': 'handlers/code-units/send-documents.ts' });
  const environments = await stackEnvironments(['api', 'send-documents']);
  bundles = built;
  [dynamo, outbox, s3, secrets, ksef] = await Promise.all([startEmbeddedDynamo(), startLocalOutbox({ port: 0 }), startFakeS3(), startFakeSecretsManager(), createKsefSimulator()]);
  scheduler = await startSchedulerEmulator({ timers: 'manual', scheduleGroups: [environments.scheduleGroup] });
  secrets.secrets.set(SECRET_ARN, JSON.stringify({ token: ksef.registerKsefToken({ nip: SELLER_NIP, description: 'bundle test' }) }));
  const tableName = 'ksef-jobs';
  await ensureTable(dynamo.createClient(), tableName);
  const local = {
    stackValues: {
      TABLE_NAME: tableName,
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
      SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-central-1:000000000000:schedule-dlq',
      SENDER_ADDRESS: 'ksef@example.com',
      NOTIFY_FROM: 'ksef@example.com',
      SES_CONFIGURATION_SET: 'ksef-job-queues',
      API_BASE_URL: 'https://api.example.com/',
      DOCUMENTS_BUCKET: BUCKET,
      KSEF_NIP: SELLER_NIP,
      KSEF_SECRET_ARN: SECRET_ARN,
    },
    // What Lambda's runtime sets, and where the SDK finds the stand-ins; KSeF is the simulator.
    runtime: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      AWS_REGION: 'eu-central-1',
      AWS_DEFAULT_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // No shared config or credentials files, as on Lambda: nothing of this machine's ~/.aws leaks in.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      AWS_ENDPOINT_URL_SESV2: outbox.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      KSEF_BASE_URL: ksef.url,
    },
  };
  env = {
    api: { ...environments.resolve('api', local.stackValues), ...local.runtime, AWS_LAMBDA_FUNCTION_NAME: 'api' },
    sendDocuments: { ...environments.resolve('send-documents', local.stackValues), ...local.runtime, AWS_LAMBDA_FUNCTION_NAME: 'send-documents' },
    tableName,
    scheduleGroup: environments.scheduleGroup,
  };
});

afterAll(async () => {
  await Promise.all([scheduler?.close(), dynamo?.close(), outbox?.close(), s3?.close(), secrets?.close(), ksef?.close()]);
});

/** Today in Warsaw: an invoice issued today goes to KSeF online (an older one waits for an admin). */
const warsawToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(new Date());

interface ApiResult {
  readonly statusCode: number;
  readonly body: string;
}

describe('the built Lambda bundles on Node 22', () => {
  it('an API Gateway v2 event stores an invoice, a scheduled trigger sends it to KSeF, and the API shows the run', async () => {
    // Prepare
    const xml = makeInvoiceXml({ sellerNip: SELLER_NIP, issueDate: warsawToday() });
    const submit = apiGatewayEvent('POST', '/documents', { body: Buffer.from(xml).toString('base64'), isBase64Encoded: true, headers: { 'content-type': 'application/xml' } });
    const db = dynamo.createDocumentClient();
    const due = new Date(Date.now() - 60_000).toISOString();
    const entry = await new DynamoEntryRepository(db, env.tableName).create(makeEntry({ codeUnit: 'send-documents', status: 'Ready', nextRunAt: due }));
    const trigger = desiredSchedule(entry).input;

    // Act
    const submitted = await invokeBundle<ApiResult>(node, bundles.api as string, 'api', env.api, [submit]);
    const run = await invokeBundle<{ runId: string; status: string }>(node, bundles['send-documents'] as string, 'send-documents', env.sendDocuments, [trigger]);
    const runId = run.results[0]?.runId ?? '';
    const shown = await invokeBundle<ApiResult>(node, bundles.api as string, 'api', env.api, [apiGatewayEvent('GET', `/queues/send-documents/runs/${runId}`)]);

    // Assess
    expect([submitted.node, run.node, shown.node].every((version) => version.startsWith('v22.'))).toBe(true);
    expect(submitted.results[0]?.statusCode, submitted.output).toBe(201);
    const documentId = (JSON.parse(submitted.results[0]?.body ?? '{}') as { id: string }).id;
    expect([...s3.objects.keys()].some((key) => key.startsWith(`${BUCKET}/outgoing/`))).toBe(true);

    expect(run.results, run.output).toEqual([{ runId: expect.any(String), status: 'Success' }]);
    const row = await new DynamoRunLogRepository(db, env.tableName).get('send-documents', runId);
    expect(row).toMatchObject({ status: 'Success', trigger: 'schedule', scheduledFor: due, counters: { sent: 1 } });
    expect((await new DynamoDocumentRepository(db, env.tableName).get(documentId))?.status).toMatch(/^(Sending|Sent)$/);
    const gateway = new EventBridgeScheduleGateway(scheduler.createClient(), { groupName: env.scheduleGroup, roleArn: 'x', deadLetterArn: 'x', targetArns: {} as never });
    expect((await gateway.get('send-documents'))?.input.scheduledFor).not.toBe(due);

    expect(shown.results[0]?.statusCode).toBe(200);
    expect(JSON.parse(shown.results[0]?.body ?? '{}')).toMatchObject({ runId, status: 'Success' });

    // The run's log lines carry its keys; its metrics are Powertools' EMF lines.
    const lines = run.output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Run finished.', codeUnit: 'send-documents', runId, attempt: 1, trigger: 'schedule' }));
    expect(lines).toContainEqual(expect.objectContaining({ Runs: 1, Queue: 'send-documents', Outcome: 'Success', ScheduleGroup: env.scheduleGroup, service: 'ksef-job-queues' }));
  });
});
