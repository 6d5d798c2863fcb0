import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../../functions/domain/errors.js';
import { acquireLease, LEASE_GRACE_MS } from '../../../functions/domain/transitions.js';
import { setEntryStatus } from '../../../functions/use-cases/manage-entries.js';
import { runEntry } from '../../../functions/use-cases/run-entry.js';
import { makeRunLogEntry } from '../../helpers/run-log-factory.js';
import { deferred, makeHarness, START } from './harness.js';

const hourly = { minutesBetweenRuns: 60, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: null, endingTime: null };
const readyNow = { status: 'Ready' as const, nextRunAt: START, recurrence: hourly };

describe('the run protocol', () => {
  it('a due scheduled run succeeds: its row holds the counters and the entry returns to Ready with its next run', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async () => {
      h.clock.advance(2_000);
      return { counters: { sent: 3, rejected: 1 } };
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Success', trigger: 'schedule', attempt: 1, durationMs: 2_000, counters: { sent: 3, rejected: 1 }, scheduledFor: START });
    expect(await h.log()).toEqual([row]);
    expect(await h.entry()).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-02T09:00:00.000Z', lease: null, attemptsMade: 0, lastRun: { status: 'Success' } });
    expect(await h.schedules.get('send-documents')).toMatchObject({ state: 'ENABLED', input: { scheduledFor: '2026-03-02T09:00:00.000Z' } });
  });

  it('the schedule stays enabled while the run holds the lease', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    let during: unknown;
    h.codeUnit.behaviour = async () => {
      during = { entry: (await h.entry()).status, schedule: (await h.schedules.get('send-documents'))?.state };
      return { counters: {} };
    };
    // Act
    await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(during).toEqual({ entry: 'InProcess', schedule: 'ENABLED' });
  });

  it('a failing code unit leaves an Error row with message and stack and a retry after the rerun delay', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, rerunDelaySeconds: 60 });
    h.codeUnit.behaviour = async () => {
      throw new Error('KSeF said no');
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Error', errorMessage: 'KSeF said no', attempt: 1 });
    expect(row.errorStack).toContain('run-entry.test.ts');
    // Equal jitter with random() = 0: half of the 60 s delay.
    expect(await h.entry()).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-02T08:00:30.000Z', nextRunTrigger: 'retry', attemptsMade: 1 });
    expect(await h.schedules.get('send-documents')).toMatchObject({ state: 'ENABLED', input: { trigger: 'retry', scheduledFor: '2026-03-02T08:00:30.000Z' } });
  });

  it.each([
    ['a string', 'plain string failure', /plain string failure/],
    ['undefined', undefined, /undefined was thrown/],
    ['an object', { code: 42, detail: 'odd' }, /non-Error object was thrown: \{"code":42,"detail":"odd"\}/],
  ])('a code unit that throws %s fails its run with a readable message and never stays InProcess', async (_what, thrown, message) => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = () => Promise.reject(thrown);
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row.status).toBe('Error');
    expect(row.errorMessage).toMatch(message);
    expect(row.errorStack).toBeNull();
    expect((await h.entry()).status).toBe('Ready');
  });

  it('a code unit that throws synchronously is a failed run like any other', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = () => {
      throw new TypeError('not even a promise');
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Error', errorMessage: 'not even a promise' });
  });

  it('a run that outlives its job timeout is cut off, its signal aborted, and recorded as an Error', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, jobTimeoutSeconds: 10 });
    h.codeUnit.behaviour = () => new Promise(() => undefined);
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Error', durationMs: 10_000 });
    expect(row.errorMessage).toMatch(/timed out after 10 s/i);
    expect(h.codeUnit.calls[0]?.signal.aborted).toBe(true);
    expect(h.codeUnit.calls[0]?.deadline.toISOString()).toBe('2026-03-02T08:00:10.000Z');
    expect(await h.entry()).toMatchObject({ status: 'Ready', nextRunTrigger: 'retry', lease: null });
  });

  it('results that are not well formed keep only their numeric counters', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async () => ({ counters: { ok: 2, bad: 'x', inf: Infinity } as unknown as Record<string, number> });
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Success', counters: { ok: 2 } });
  });

  it('two concurrent triggers for the same slot give exactly one run and one Skipped row', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    const gate = deferred();
    h.codeUnit.behaviour = async () => {
      await gate.promise;
      return { counters: {} };
    };
    const input = await h.scheduledInput();
    // Act
    const first = runEntry(h.runner, input, h.options);
    const second = runEntry(h.runner, input, h.options);
    const skipped = await Promise.race([first, second]);
    gate.resolve();
    const rows = await Promise.all([first, second]);
    // Assess
    expect(h.codeUnit.calls).toHaveLength(1);
    expect(skipped).toMatchObject({ status: 'Skipped', attempt: 0 });
    expect(skipped.skipReason).toMatch(/lease taken/i);
    expect(rows.map((row) => row.status).sort()).toEqual(['Skipped', 'Success']);
    expect(await h.log()).toHaveLength(2);
  });

  it('a late duplicate delivery of a slot that already ran is Skipped', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    const input = await h.scheduledInput();
    await runEntry(h.runner, input, h.options);
    // So late that the entry's next slot is due too: only that slot's own trigger may run it.
    h.clock.advance(2 * 3_600_000);
    // Act
    const duplicate = await runEntry(h.runner, input, h.options);
    // Assess
    expect(duplicate.status).toBe('Skipped');
    expect(duplicate.skipReason).toMatch(/not due: this trigger is for 2026-03-02T08:00:00.000Z/i);
    expect(h.codeUnit.calls).toHaveLength(1);
  });

  it('a trigger that arrives before its slot is Skipped as not yet due', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, nextRunAt: '2026-03-02T08:05:00.000Z' });
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row.skipReason).toMatch(/not due yet/i);
    expect(h.codeUnit.calls).toHaveLength(0);
  });

  it('a scheduled trigger for an entry that is not Ready, missing, or re-created is Skipped', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'OnHold' });
    const input = { codeUnit: 'send-documents' as const, entryId: 'entry-send-documents', trigger: 'schedule' as const, scheduledFor: START };
    // Act
    const onHold = await runEntry(h.runner, input, h.options);
    const recreated = await runEntry(h.runner, { ...input, entryId: 'old-entry' }, h.options);
    await h.entries.delete('send-documents', 1);
    const missing = await runEntry(h.runner, input, h.options);
    // Assess
    expect(onHold.skipReason).toMatch(/OnHold/);
    expect(recreated.skipReason).toMatch(/re-created/);
    expect(missing.skipReason).toMatch(/no job queue entry/i);
    expect(h.codeUnit.calls).toHaveLength(0);
  });

  it('a stale lease is recorded as an Error and the entry recovers with the next run', async () => {
    // Prepare: a run started at 08:00 crashed without a trace but its InProcess row.
    const h = makeHarness();
    const seeded = await h.seed({ ...readyNow, jobTimeoutSeconds: 60 });
    const crashedRunId = h.ids.runId(h.clock.now());
    const leased = await h.entries.update(acquireLease(seeded, 'schedule', crashedRunId, h.clock.now()), seeded.version);
    await h.runs.start(makeRunLogEntry({ runId: crashedRunId, entryId: seeded.id, startedAt: START }));
    h.clock.advance(60_000 + LEASE_GRACE_MS + 1);
    // Act: the admin runs it now.
    const row = await runEntry(h.runner, { codeUnit: 'send-documents', entryId: leased.id, trigger: 'manual', runId: h.ids.runId(h.clock.now()), requestedBy: 'admin' }, h.options);
    // Assess
    const stale = await h.runs.get('send-documents', crashedRunId);
    expect(stale).toMatchObject({ status: 'Error' });
    expect(stale?.errorMessage).toMatch(/did not finish within its job timeout/);
    expect(row).toMatchObject({ status: 'Success', trigger: 'manual', attempt: 2 });
    expect(await h.entry()).toMatchObject({ status: 'Ready', lease: null, attemptsMade: 0 });
  });

  it('a run whose lease was declared stale cannot overwrite that verdict when it ends late', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, jobTimeoutSeconds: 10 });
    const gate = deferred();
    h.codeUnit.behaviour = async () => {
      await gate.promise;
      return { counters: { late: 1 } };
    };
    const slow = runEntry(h.runner, await h.scheduledInput(), { ...h.options, sleep: () => new Promise(() => undefined) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    h.clock.advance(10_000 + LEASE_GRACE_MS + 1);
    const manual = { codeUnit: 'send-documents' as const, entryId: 'entry-send-documents', trigger: 'manual' as const, runId: h.ids.runId(h.clock.now()), requestedBy: 'admin' };
    h.codeUnit.behaviour = async () => ({ counters: { fresh: 1 } });
    await runEntry(h.runner, manual, h.options);
    // Act
    gate.resolve();
    const lateRow = await slow;
    // Assess
    expect(lateRow).toMatchObject({ status: 'Error' });
    expect(lateRow.errorMessage).toMatch(/job timeout/);
    expect(await h.entry()).toMatchObject({ status: 'Ready', lease: null, lastRun: { runId: manual.runId, status: 'Success' } });
  });

  it('retries use the attempts and the growing rerun delay, and without automatic restart end in Error after the maximum attempts', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, maxAttempts: 3, rerunDelaySeconds: 60, autoRestart: false });
    h.codeUnit.behaviour = async () => {
      throw new Error('still down');
    };
    const nextRuns: (string | null)[] = [];
    // Act
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const input = await h.scheduledInput();
      h.clock.set(input.scheduledFor);
      await runEntry(h.runner, input, h.options);
      nextRuns.push((await h.entry()).nextRunAt);
    }
    // Assess
    const rows = await h.log();
    expect(rows.map((row) => [row.status, row.trigger, row.attempt])).toEqual([
      ['Error', 'schedule', 1],
      ['Error', 'retry', 2],
      ['Error', 'retry', 3],
    ]);
    expect(nextRuns).toEqual(['2026-03-02T08:00:30.000Z', '2026-03-02T08:01:30.000Z', null]);
    expect(await h.entry()).toMatchObject({ status: 'Error', attemptsMade: 3 });
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
  });

  it('an error that a retry cannot fix goes to Error at once', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, maxAttempts: 5, autoRestart: false });
    h.codeUnit.behaviour = async () => {
      throw new NonRetryableError('KSeF refused the credentials');
    };
    // Act
    await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(await h.entry()).toMatchObject({ status: 'Error', attemptsMade: 1, nextRunAt: null });
  });

  it('a manual run on a Ready entry does not shift its schedule', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, nextRunAt: '2026-03-02T08:40:00.000Z' });
    const before = await h.schedules.get('send-documents');
    // Act
    const row = await runEntry(h.runner, { codeUnit: 'send-documents', entryId: 'entry-send-documents', trigger: 'manual', runId: 'manual-1', requestedBy: 'admin' }, h.options);
    // Assess
    expect(row).toMatchObject({ status: 'Success', runId: 'manual-1', trigger: 'manual', scheduledFor: null });
    expect(await h.entry()).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-02T08:40:00.000Z' });
    expect(await h.schedules.get('send-documents')).toEqual(before);
  });

  it('a manual run on an OnHold entry returns it to OnHold with its schedule disabled', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'OnHold' });
    // Act
    const row = await runEntry(h.runner, { codeUnit: 'send-documents', entryId: 'entry-send-documents', trigger: 'manual', runId: 'manual-1', requestedBy: 'admin' }, h.options);
    // Assess
    expect(row.status).toBe('Success');
    expect(await h.entry()).toMatchObject({ status: 'OnHold', nextRunAt: null, lastRun: { runId: 'manual-1' } });
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
  });

  it('the same manual request delivered twice runs once and answers with the same row', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'OnHold' });
    const request = { codeUnit: 'send-documents' as const, entryId: 'entry-send-documents', trigger: 'manual' as const, runId: 'manual-1', requestedBy: 'admin' };
    const gate = deferred();
    h.codeUnit.behaviour = async () => {
      await gate.promise;
      return { counters: {} };
    };
    // Act
    const first = runEntry(h.runner, request, h.options);
    const second = await runEntry(h.runner, request, h.options);
    gate.resolve();
    await first;
    // Assess
    expect(h.codeUnit.calls).toHaveLength(1);
    expect(second.runId).toBe('manual-1');
    expect(await h.log()).toHaveLength(1);
  });

  it('an admin who puts a running entry OnHold gets it OnHold when the run ends', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async () => {
      await setEntryStatus(h.deps, 'send-documents', 'OnHold', 'admin');
      return { counters: {} };
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(row.status).toBe('Success');
    expect(await h.entry()).toMatchObject({ status: 'OnHold', nextRunAt: null, lease: null });
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
  });

  it('after a run its finished entry and row are handed to onFinished, whose failure changes nothing', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, maxAttempts: 1 });
    h.codeUnit.behaviour = async () => {
      throw new Error('down');
    };
    const seen: unknown[] = [];
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), {
      ...h.options,
      onFinished: ({ row: finishedRow, entry }) => {
        seen.push({ status: finishedRow.status, entry: entry?.status });
        throw new Error('mailer down');
      },
    });
    // Assess
    expect(seen).toEqual([{ status: 'Error', entry: 'Error' }]);
    expect(row.status).toBe('Error');
    expect((await h.entry()).status).toBe('Error');
  });

  it('a manual request delivered again after it was skipped does not run or count as an attempt', async () => {
    // Prepare: the request came while a scheduled run held the lease.
    const h = makeHarness();
    await h.seed(readyNow);
    const gate = deferred();
    h.codeUnit.behaviour = async () => {
      await gate.promise;
      return { counters: {} };
    };
    const scheduled = runEntry(h.runner, await h.scheduledInput(), h.options);
    const request = { codeUnit: 'send-documents' as const, entryId: 'entry-send-documents', trigger: 'manual' as const, runId: 'manual-1', requestedBy: 'admin' };
    const skipped = await runEntry(h.runner, request, h.options);
    gate.resolve();
    await scheduled;
    // Act
    const again = await runEntry(h.runner, request, h.options);
    // Assess
    expect(skipped.status).toBe('Skipped');
    expect(again).toEqual(skipped);
    expect(h.codeUnit.calls).toHaveLength(1);
    expect(await h.entry()).toMatchObject({ status: 'Ready', attemptsMade: 0, lastRun: { status: 'Success' } });
  });
});
