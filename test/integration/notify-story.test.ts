import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoNotificationStore } from '../../functions/adapters/aws/dynamo-notification-store.js';
import { SesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { clearOutbox, readOutbox, startLocalOutbox, type LocalOutbox } from '../../functions/adapters/local/local-outbox.js';
import type { RunLogEntry } from '../../functions/domain/job-queue-entry.js';
import type { RunNotificationOutcome } from '../../functions/domain/notification-policy.js';
import { putGlobalRecipient } from '../../functions/use-cases/manage-notifications.js';
import { notifyRunOutcome, type NotifyDeps } from '../../functions/use-cases/notify.js';
import { makeEntry } from '../helpers/entry-factory.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { completeRun, makeRunId, makeRunLogEntry } from '../helpers/run-log-factory.js';
import { MemoryMetrics } from '../../functions/adapters/memory/memory-metrics.js';
import { RecordingLogger } from '../helpers/recording-logger.js';

/*
 * The e-mail story with the real adapters: the notification state and the e-mail log in the
 * embedded DynamoDB, the e-mails through SesMailer into the local SES outbox, read back from it.
 */

const MINUTE = 60_000;
let dynamo: EmbeddedDynamo;
let client: DynamoDBClient;
let outbox: LocalOutbox;
let tables = 0;

beforeAll(async () => {
  [dynamo, outbox] = await Promise.all([startEmbeddedDynamo(), startLocalOutbox()]);
  client = dynamo.createClient();
});

afterAll(async () => {
  await Promise.all([dynamo?.close(), outbox?.close()]);
});

describe('failure and recovery e-mails through DynamoDB and the local SES outbox', () => {
  let clock: ManualClock;
  let deps: NotifyDeps;
  let runs = 0;
  const entry = makeEntry({ codeUnit: 'process-upo', status: 'Error', notificationRecipients: [{ email: 'dyzur@example.com', language: 'pl' }] });

  beforeEach(async () => {
    const tableName = `notify-story-${++tables}`;
    await ensureTable(client, tableName);
    await clearOutbox(outbox.endpoint);
    clock = new ManualClock('2026-03-02T08:00:00.000Z');
    let mails = 0;
    deps = {
      notifications: new DynamoNotificationStore(client, tableName, { clock }),
      mailer: new SesMailer(outbox.createClient()),
      clock,
      ids: { runId: (at) => makeRunId(at, ++mails) },
      config: { from: 'ksef-jobs@example.com', intervalMinutes: 60, environmentName: 'local', apiBaseUrl: 'http://127.0.0.1:3000' },
      logger: new RecordingLogger(),
      metrics: new MemoryMetrics(),
    };
  });

  function endedRun(outcome: RunNotificationOutcome): RunLogEntry {
    const startedAt = new Date(clock.now().getTime() - 1000).toISOString();
    const row = makeRunLogEntry({ codeUnit: 'process-upo', runId: makeRunId(startedAt, ++runs), startedAt, attempt: 3 });
    return outcome === 'success' ? completeRun(row, 'Success', 1000) : completeRun(row, 'Error', 1000, { errorMessage: 'UPO not ready', errorStack: 'Error: UPO not ready' });
  }

  const notify = (outcome: RunNotificationOutcome) => notifyRunOutcome(deps, { entry, run: endedRun(outcome), outcome });

  it('failures within the interval give one e-mail, after it another, and a success one recovery e-mail', async () => {
    // Prepare
    await putGlobalRecipient(deps, 'oncall@example.com', { language: 'en' }, 'admin@example.com');
    // Act
    for (let i = 0; i < 4; i++) {
      await notify('final-failure');
      clock.advance(15 * MINUTE);
    }
    await notify('final-failure'); // minute 60: the interval has passed
    clock.advance(MINUTE);
    await notify('success');
    await notify('success');
    // Assess
    const mails = await readOutbox(outbox.endpoint);
    expect(mails.map((m) => [m.destination.to.join(','), m.subject.replace(/^\[[^\]]+\] /, '')])).toEqual([
      ['dyzur@example.com', 'Błąd kolejki: Process KSeF UPO (process-upo)'],
      ['oncall@example.com', 'Queue failed: Process KSeF UPO (process-upo)'],
      ['dyzur@example.com', 'Błąd kolejki: Process KSeF UPO (process-upo)'],
      ['oncall@example.com', 'Queue failed: Process KSeF UPO (process-upo)'],
      ['dyzur@example.com', 'Kolejka znów działa: Process KSeF UPO (process-upo)'],
      ['oncall@example.com', 'Queue recovered: Process KSeF UPO (process-upo)'],
    ]);
    expect(mails[3]?.body.text).toContain('3 further failures were not e-mailed since the previous message');
    const log = await deps.notifications.listEmails({ limit: 100 });
    expect(log.items.map((m) => m.messageId)).toEqual(mails.map((m) => m.messageId).reverse());
  });

  it('a success with no failure before sends no e-mail', async () => {
    // Act
    await notify('success');
    // Assess
    expect(await readOutbox(outbox.endpoint)).toEqual([]);
  });

  it('concurrent final failures of one queue send one e-mail', async () => {
    // Act
    await Promise.all([notify('final-failure'), notify('final-failure'), notify('final-failure'), notify('final-failure')]);
    // Assess
    expect(await readOutbox(outbox.endpoint)).toHaveLength(1);
    expect(await deps.notifications.getState('process-upo')).toMatchObject({ consecutiveFailures: 4, unmailedFailures: 3 });
  });
});
