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
 * "Run now" never shifts the schedule, also when it fails, end to end through local mode: a daily
 * 03:00 queue that an admin runs by hand at 23:08:29 while KSeF is down. The HTTP API, the Scheduler
 * emulator on a manual clock (its watchdog included), the embedded DynamoDB and the local outbox are
 * the real local runtime; only the code unit is a stand-in that fails.
 */

const TOKEN = 'e2e-run-now-token-0123456789';
/** Monday 2 March 2026, 23:05 in Warsaw (CET, UTC+1). */
const START = new Date('2026-03-02T22:05:00.000Z');
/** 23:08:29 in Warsaw: the admin presses "run now". */
const PRESSED = new Date('2026-03-02T22:08:29.000Z');
/** Tuesday 3 March 2026, 03:00 in Warsaw: the queue's daily slot. */
const SLOT = '2026-03-03T02:00:00.000Z';
/** Wednesday 4 March 2026, 03:00 in Warsaw. */
const NEXT_DAY_SLOT = '2026-03-04T02:00:00.000Z';
const ONCALL = 'oncall@example.com';

/** A code unit that fails while KSeF is "down". */
class FailingCodeUnit implements CodeUnit {
  readonly calls: CodeUnitContext[] = [];
  constructor(readonly id: CodeUnit['id']) {}
  async run(context: CodeUnitContext): Promise<never> {
    this.calls.push(context);
    throw new Error('KSeF ledger service unavailable (503)');
  }
}

const ledgers = new FailingCodeUnit('update-ledgers');
let runtime: LocalRuntime;
let clock: ManualClock;
let dataDir: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

/** Moves time `minutes` forward in steps, letting every run that a step fired end before the next. */
async function advanceMinutes(minutes: number, stepMinutes = 1) {
  const end = clock.now().getTime() + minutes * 60_000;
  while (clock.now().getTime() < end) {
    await runtime.scheduler.advanceTo(new Date(Math.min(end, clock.now().getTime() + stepMinutes * 60_000)));
    await runtime.idle();
  }
}

/** The run log through the API, oldest first. */
async function runsOf(codeUnit: string) {
  const { body } = await call('GET', `/queues/${codeUnit}/runs?limit=100`);
  return (body?.items as Array<Record<string, any>>).slice().reverse();
}

/** What a manual run must leave as it was: the entry's run state, its next run times and its schedule. */
const scheduleView = (card: Record<string, any> | undefined) => ({
  status: card?.entry.status,
  attemptsMade: card?.entry.attemptsMade,
  nextRunAt: card?.entry.nextRunAt,
  nextRunTrigger: card?.entry.nextRunTrigger,
  nextRuns: card?.nextRuns,
  schedule: card?.schedule,
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-e2e-run-now-'));
  clock = new ManualClock(START);
  const config: LocalConfig = { port: 0, host: '127.0.0.1', apiToken: TOKEN, apiTokenGenerated: false, dataDir, logLevel: 'ERROR' };
  runtime = await startLocalRuntime(config, { clock, timers: 'manual', inMemory: true, env: {}, codeUnits: { 'update-ledgers': ledgers }, runOptions: { random: () => 0.5 } });
  await clearOutbox(runtime.outbox.endpoint);
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('run now on a daily queue in local mode', () => {
  it('a failed run-now at 23:08 leaves the daily 03:00 slot and schedule as they were, is in the run log, and mails nobody; the 03:00 run mails as always', async () => {
    // Prepare: daily, first run tomorrow 03:00, one attempt (the case where the defect restarted at "run end + interval").
    expect((await call('PUT', `/notifications/recipients/${ONCALL}`, { language: 'en' })).status).toBe(201);
    await call('POST', '/queues/update-ledgers');
    const created = await call('GET', '/queues/update-ledgers');
    const patched = await call('PATCH', '/queues/update-ledgers', { recurrence: { minutesBetweenRuns: 1440 }, earliestStartAt: SLOT, maxAttempts: 1 }, { 'if-match': created.headers.get('etag') ?? '' });
    expect(patched.status).toBe(200);
    expect((await call('POST', '/queues/update-ledgers/status', { status: 'Ready' })).status).toBe(200);
    await advanceMinutes(3);
    clock.set(PRESSED);
    const before = await call('GET', '/queues/update-ledgers');
    expect(scheduleView(before.body)).toMatchObject({ status: 'Ready', nextRunAt: SLOT, schedule: { state: 'ENABLED', expression: 'at(2026-03-03T03:00:00)', timeZone: 'Europe/Warsaw' } });

    // Act: the admin runs it now; it fails. Then time goes on past a few watchdog passes.
    const launched = await call('POST', '/queues/update-ledgers/run');
    await runtime.idle();
    const afterRun = await call('GET', '/queues/update-ledgers');
    const manualRow = await call('GET', `/queues/update-ledgers/runs/${launched.body?.runId}`);
    const mailsAfterRun = await readOutbox(runtime.outbox.endpoint);
    await advanceMinutes(15);
    const quarterHourLater = await call('GET', '/queues/update-ledgers');

    // Assess: the failed manual run is in the run log with its error, and nothing else moved.
    expect(launched.status).toBe(202);
    expect(manualRow.body).toMatchObject({ trigger: 'manual', status: 'Error', errorMessage: 'KSeF ledger service unavailable (503)', scheduledFor: null });
    expect(manualRow.body?.errorStack).toContain('local-mode-run-now.test.ts');
    expect(scheduleView(afterRun.body)).toEqual(scheduleView(before.body));
    expect(afterRun.body?.entry.lastRun).toMatchObject({ runId: launched.body?.runId, status: 'Error' });
    expect(scheduleView(quarterHourLater.body)).toEqual(scheduleView(before.body));
    // Not retried, not restarted, and no failure e-mail: the admin who pressed it reads the result.
    expect(ledgers.calls.map((context) => context.trigger)).toEqual(['manual']);
    expect(mailsAfterRun).toEqual([]);
    expect((await call('GET', '/notifications/log?limit=10')).body?.items).toEqual([]);

    // Act: the night goes by; the 03:00 run is the queue's own, and KSeF is still down.
    await advanceMinutes(Math.ceil((Date.parse(SLOT) - clock.now().getTime()) / 60_000) - 5, 5);
    await advanceMinutes(7);

    // Assess: it ran at 03:00, failed finally, went to Error with its restart at the next 03:00, and mailed once.
    const rows = await runsOf('update-ledgers');
    expect(rows.map((row) => [row.trigger, row.status, row.scheduledFor])).toEqual([
      ['manual', 'Error', null],
      ['schedule', 'Error', SLOT],
    ]);
    const failed = await call('GET', '/queues/update-ledgers');
    expect(failed.body?.entry).toMatchObject({ status: 'Error', nextRunAt: NEXT_DAY_SLOT, nextRunTrigger: 'restart' });
    expect(failed.body?.schedule).toMatchObject({ state: 'ENABLED', expression: 'at(2026-03-04T03:00:00)', input: { trigger: 'restart' } });
    const mails = await readOutbox(runtime.outbox.endpoint);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('Queue failed: Update KSeF Ledgers (update-ledgers)');
    expect(mails[0]?.body.text).toContain(rows[1]?.runId);
    expect(mails[0]?.body.text).not.toContain(launched.body?.runId);
  });
});
