import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import type { LocalConfig } from '../../functions/wiring/local-config.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/wiring/local.js';

/*
 * Local mode end to end through HTTP: the real API server, the embedded DynamoDB, the Scheduler
 * emulator firing the code units. Only time is ours: a manual clock that the test moves forward.
 */

const TOKEN = 'e2e-token-0123456789abcdef';
const START = new Date('2026-11-25T09:00:20.000Z');

let runtime: LocalRuntime;
let clock: ManualClock;
let dataDir: string;

async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function advanceMinutes(minutes: number) {
  await runtime.scheduler.advanceTo(new Date(clock.now().getTime() + minutes * 60_000));
  await runtime.idle();
}

async function runsOf(codeUnit: string) {
  const { body } = await call('GET', `/queues/${codeUnit}/runs?limit=100`);
  return body?.items as Array<Record<string, any>>;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-e2e-'));
  clock = new ManualClock(START);
  const config: LocalConfig = { port: 0, host: '127.0.0.1', apiToken: TOKEN, apiTokenGenerated: false, dataDir, logLevel: 'ERROR' };
  runtime = await startLocalRuntime(config, { clock, timers: 'manual' });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local mode, through HTTP', () => {
  it('creates each of the five entries with one call, On Hold with the defaults, and a second call returns the same entry', async () => {
    for (const codeUnit of CODE_UNIT_IDS) {
      const created = await call('POST', `/queues/${codeUnit}`);
      const again = await call('POST', `/queues/${codeUnit}`);

      expect(created.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body?.entry.id).toBe(created.body?.entry.id);
      expect(created.body?.entry).toMatchObject({
        status: 'OnHold',
        recurrence: { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      });
    }
    const list = await call('GET', '/queues');
    expect(list.body?.items.map((row: any) => [row.codeUnit, row.entry?.status, row.entry?.minutesBetweenRuns])).toEqual(
      CODE_UNIT_IDS.map((id) => [id, 'OnHold', 1440]),
    );
  });

  it('runs a Ready entry with a one-minute interval on its schedule, and stops when it is put On Hold', async () => {
    const card = await call('GET', '/queues/update-ledgers');
    const patched = await call('PATCH', '/queues/update-ledgers', {
      body: { recurrence: { minutesBetweenRuns: 1 } },
      headers: { 'if-match': card.headers.get('etag') ?? '' },
    });
    expect(patched.status).toBe(200);

    const ready = await call('POST', '/queues/update-ledgers/status', { body: { status: 'Ready' } });
    expect(ready.body?.entry.status).toBe('Ready');
    expect(ready.body?.schedule).toMatchObject({ state: 'ENABLED' });

    await advanceMinutes(1);
    const afterFirstMinute = await runsOf('update-ledgers');
    expect(afterFirstMinute.length).toBeGreaterThanOrEqual(1);
    expect(afterFirstMinute[0]).toMatchObject({ status: 'Success', trigger: 'schedule', attempt: 1 });

    await advanceMinutes(2);
    const runsWhileReady = (await runsOf('update-ledgers')).filter((run) => run.status === 'Success');
    expect(runsWhileReady.length).toBeGreaterThanOrEqual(2);

    const onHold = await call('POST', '/queues/update-ledgers/status', { body: { status: 'OnHold' } });
    expect(onHold.body?.entry.status).toBe('OnHold');
    expect(onHold.body?.schedule).toMatchObject({ state: 'DISABLED' });

    await advanceMinutes(10);
    expect((await runsOf('update-ledgers')).filter((run) => run.status === 'Success')).toHaveLength(runsWhileReady.length);
  });

  it('runs an entry at once on request without shifting its schedule', async () => {
    const card = await call('GET', '/queues/process-upo');
    await call('PATCH', '/queues/process-upo', {
      body: { earliestStartAt: '2026-11-26T05:00:00Z' },
      headers: { 'if-match': card.headers.get('etag') ?? '' },
    });
    await call('POST', '/queues/process-upo/status', { body: { status: 'Ready' } });
    const before = await call('GET', '/queues/process-upo');

    const accepted = await call('POST', '/queues/process-upo/run');
    await runtime.idle();

    expect(accepted.status).toBe(202);
    const run = await call('GET', `/queues/process-upo/runs/${accepted.body?.runId}`);
    expect(run.body).toMatchObject({ status: 'Success', trigger: 'manual' });
    const after = await call('GET', '/queues/process-upo');
    expect(before.body?.entry.nextRunAt).toBe('2026-11-26T05:00:00.000Z');
    expect(after.body?.entry.nextRunAt).toBe(before.body?.entry.nextRunAt);
    expect(after.body?.entry.status).toBe('Ready');
  });

  it('deletes an entry and its schedule', async () => {
    const deleted = await call('DELETE', '/queues/update-ledgers');
    const card = await call('GET', '/queues/update-ledgers');

    expect(deleted.status).toBe(204);
    expect(card.status).toBe(404);
    expect(card.headers.get('content-type')).toContain('application/problem+json');
    expect(await runtime.deps.schedules.get('update-ledgers')).toBeUndefined();
  });
});
