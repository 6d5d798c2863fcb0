import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearOutbox, readOutbox } from '../../functions/adapters/local/local-outbox.js';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import type { CodeUnit, CodeUnitContext } from '../../functions/ports/code-unit.js';
import type { LocalConfig } from '../../functions/wiring/local-config.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/wiring/local.js';

/*
 * Issue 5's story end to end through local mode: a queue whose code unit fails until told
 * otherwise, driven through the HTTP API, fired by the Scheduler emulator on a manual clock, its
 * e-mails read from the local SES outbox and from the API's e-mail log.
 */

const TOKEN = 'e2e-failures-token-0123456789';
/** Wednesday 25 November 2026, 10:00:20 in Warsaw. */
const START = new Date('2026-11-25T09:00:20.000Z');
const ONCALL = 'oncall@example.com';

/** A code unit that fails while `failing` is set. */
class FlakyCodeUnit implements CodeUnit {
  failing = true;
  readonly calls: CodeUnitContext[] = [];
  constructor(readonly id: CodeUnit['id']) {}
  async run(context: CodeUnitContext) {
    this.calls.push(context);
    if (this.failing) throw new Error('KSeF session service unavailable (503)');
    return { counters: { polled: 4 } };
  }
}

const sessions = new FlakyCodeUnit('process-sessions');
const upo = new FlakyCodeUnit('process-upo');
let runtime: LocalRuntime;
let clock: ManualClock;
let dataDir: string;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

/** Moves time a minute at a time, so that every schedule a run puts fires at its own minute. */
async function advanceMinutes(minutes: number) {
  for (let minute = 0; minute < minutes; minute += 1) {
    await runtime.scheduler.advanceTo(new Date(clock.now().getTime() + 60_000));
    await runtime.idle();
  }
}

const msBetween = (from: string | undefined, to: string | undefined) => Date.parse(to ?? '') - Date.parse(from ?? '');

/** A subject without its `[product · environment]` prefix. */
const subjectOf = (subject: string | undefined) => subject?.replace(/^\[[^\]]*· local\] /, '');

/** The run log through the API, oldest first. */
async function runsOf(codeUnit: string) {
  const { body } = await call('GET', `/queues/${codeUnit}/runs?limit=100`);
  return (body?.items as Array<Record<string, any>>).slice().reverse();
}

async function prepareQueue(codeUnit: string, settings: Record<string, unknown>) {
  await call('POST', `/queues/${codeUnit}`);
  const card = await call('GET', `/queues/${codeUnit}`);
  const patched = await fetch(`${runtime.apiUrl}/queues/${codeUnit}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': card.headers.get('etag') ?? '' },
    body: JSON.stringify(settings),
  });
  expect(patched.status).toBe(200);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-e2e-failures-'));
  clock = new ManualClock(START);
  const config: LocalConfig = { port: 0, host: '127.0.0.1', apiToken: TOKEN, apiTokenGenerated: false, dataDir, logLevel: 'ERROR' };
  runtime = await startLocalRuntime(config, {
    clock,
    timers: 'manual',
    inMemory: true,
    env: {},
    codeUnits: { 'process-sessions': sessions, 'process-upo': upo },
    // Jitter in the middle: the retry after attempt n waits 0.75 × 60 s × 2^(n−1).
    runOptions: { random: () => 0.5 },
  });
  await clearOutbox(runtime.outbox.endpoint);
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a failing queue in local mode, through HTTP and the e-mail outbox', () => {
  it('retries, goes to Error with one failure e-mail, restarts at its next slot and sends a recovery e-mail', async () => {
    // Prepare: an hourly queue with three attempts, and an on-call admin for every queue.
    const recipient = await call('PUT', `/notifications/recipients/${ONCALL}`, { language: 'en' });
    expect(recipient.status).toBe(201);
    await prepareQueue('process-sessions', { recurrence: { minutesBetweenRuns: 60 }, maxAttempts: 3, rerunDelaySeconds: 60 });
    const ready = await call('POST', '/queues/process-sessions/status', { status: 'Ready' });
    expect(ready.body?.entry.status).toBe('Ready');

    // Act: the first run fires at the next minute; the retries follow 45 s and 90 s after their failures.
    await advanceMinutes(5);
    const failed = await call('GET', '/queues/process-sessions');
    const mailsAfterFailure = await readOutbox(runtime.outbox.endpoint);

    // Assess: three attempts, each a row, each retry due 0.75 × 60 s × 2^(n−1) after the failure before it.
    const attempts = await runsOf('process-sessions');
    expect(attempts.map((row) => [row.trigger, row.attempt, row.status])).toEqual([
      ['schedule', 1, 'Error'],
      ['retry', 2, 'Error'],
      ['retry', 3, 'Error'],
    ]);
    // Set Ready at 09:00:20, the first run is due when its schedule can fire: the next whole minute.
    expect(attempts[0]?.scheduledFor).toBe('2026-11-25T09:01:00.000Z');
    expect(msBetween(attempts[0]?.finishedAt, attempts[1]?.scheduledFor)).toBe(45_000);
    expect(msBetween(attempts[1]?.finishedAt, attempts[2]?.scheduledFor)).toBe(90_000);
    // Then Error, with the restart at the next hourly slot after the last failure and the schedule enabled for it.
    const restartAt = new Date(Math.floor(Date.parse(attempts[2]?.finishedAt) / 60_000) * 60_000 + 60 * 60_000).toISOString();
    expect(failed.body?.entry).toMatchObject({ status: 'Error', attemptsMade: 3, nextRunAt: restartAt, nextRunTrigger: 'restart' });
    expect(failed.body?.schedule).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart', scheduledFor: restartAt } });
    // One failure e-mail for three failed attempts.
    expect(mailsAfterFailure).toHaveLength(1);
    expect(mailsAfterFailure[0]).toMatchObject({ from: 'ksef-job-queues@example.com', destination: { to: [ONCALL] } });
    expect(subjectOf(mailsAfterFailure[0]?.subject)).toBe('Queue failed: Process Session (Interactive Sessions) (process-sessions)');
    expect(mailsAfterFailure[0]?.body.text).toContain('KSeF session service unavailable (503)');
    expect(mailsAfterFailure[0]?.body.text).toContain(`${runtime.apiUrl}/queues/process-sessions`);

    // Act: KSeF is back; an hour later the restart fires.
    sessions.failing = false;
    await advanceMinutes(62);

    // Assess: the restart row, the entry Ready again, and a recovery e-mail.
    const rows = await runsOf('process-sessions');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ trigger: 'restart', attempt: 1, status: 'Success', scheduledFor: restartAt, counters: { polled: 4 } });
    const recovered = await call('GET', '/queues/process-sessions');
    expect(recovered.body?.entry).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunTrigger: 'schedule' });
    // An hour after the minute the restart ended in (schedules have minute precision).
    const endMinute = new Date(Math.floor(Date.parse(rows[3]?.finishedAt) / 60_000) * 60_000).toISOString();
    expect(msBetween(endMinute, recovered.body?.entry.nextRunAt)).toBe(60 * 60_000);
    const mails = await readOutbox(runtime.outbox.endpoint);
    expect(mails.map((mail) => subjectOf(mail.subject))).toEqual([
      'Queue failed: Process Session (Interactive Sessions) (process-sessions)',
      'Queue recovered: Process Session (Interactive Sessions) (process-sessions)',
    ]);

    // The sent e-mail log through the API, newest first, matches the outbox.
    const log = await call('GET', '/notifications/log?limit=10');
    expect(log.status).toBe(200);
    expect(log.body?.items.map((mail: any) => [mail.codeUnit, mail.kind, mail.status, mail.to, mail.messageId])).toEqual([
      ['process-sessions', 'recovery', 'sent', [ONCALL], mails[1]?.messageId],
      ['process-sessions', 'failure', 'sent', [ONCALL], mails[0]?.messageId],
    ]);
  });

  it('never restarts a queue that an admin put On Hold after its failure', async () => {
    // Prepare: one attempt, so the first failure is final.
    await clearOutbox(runtime.outbox.endpoint);
    await prepareQueue('process-upo', { recurrence: { minutesBetweenRuns: 30 }, maxAttempts: 1 });
    await call('POST', '/queues/process-upo/status', { status: 'Ready' });
    await advanceMinutes(1);
    const failed = await call('GET', '/queues/process-upo');
    expect(failed.body?.entry).toMatchObject({ status: 'Error', nextRunTrigger: 'restart' });
    // Act: the admin stops it; its restart slot and several watchdog passes go by.
    const held = await call('POST', '/queues/process-upo/status', { status: 'OnHold' });
    await advanceMinutes(45);
    // Assess
    expect(held.body?.schedule).toMatchObject({ state: 'DISABLED' });
    expect(upo.calls).toHaveLength(1);
    expect((await runsOf('process-upo')).map((row) => [row.trigger, row.status])).toEqual([['schedule', 'Error']]);
    expect((await call('GET', '/queues/process-upo')).body?.entry).toMatchObject({ status: 'OnHold', nextRunAt: null });
    expect((await readOutbox(runtime.outbox.endpoint)).map((mail) => subjectOf(mail.subject))).toEqual(['Queue failed: Process KSeF UPO (process-upo)']);
  });
});
