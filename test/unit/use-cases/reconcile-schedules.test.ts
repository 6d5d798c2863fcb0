import { describe, expect, it } from 'vitest';
import { desiredSchedule } from '../../../functions/domain/schedule.js';
import { acquireLease, LEASE_GRACE_MS } from '../../../functions/domain/transitions.js';
import { reconcileSchedules } from '../../../functions/use-cases/reconcile-schedules.js';
import { runEntry } from '../../../functions/use-cases/run-entry.js';
import { makeEntry } from '../../helpers/entry-factory.js';
import { makeRunLogEntry } from '../../helpers/run-log-factory.js';
import { makeHarness, START } from './harness.js';

const tomorrow = '2026-03-03T08:00:00.000Z';

describe('the reconciler', () => {
  it('finds nothing to repair when every entry has the schedule it should have', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'Ready', nextRunAt: tomorrow });
    await h.seed({ codeUnit: 'process-upo', id: 'upo' });
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report).toMatchObject({ entriesChecked: 2, repairs: [], failures: [] });
  });

  it('puts the schedule of a Ready entry that has none, enabled for its next run', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'Ready', nextRunAt: tomorrow });
    await h.schedules.remove('send-documents');
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.counts['schedule-created']).toBe(1);
    expect(await h.schedules.get('send-documents')).toMatchObject({ state: 'ENABLED', input: { scheduledFor: tomorrow, entryId: 'entry-send-documents' } });
  });

  it('corrects a schedule in the wrong state or for the wrong time', async () => {
    // Prepare
    const h = makeHarness();
    const ready = await h.seed({ status: 'Ready', nextRunAt: tomorrow });
    await h.schedules.put({ ...desiredSchedule(ready), state: 'DISABLED' });
    const held = await h.seed({ codeUnit: 'process-upo', id: 'upo', status: 'OnHold' });
    await h.schedules.put(desiredSchedule({ ...held, status: 'Ready', nextRunAt: tomorrow }));
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.counts['schedule-updated']).toBe(2);
    expect((await h.schedules.get('send-documents'))?.state).toBe('ENABLED');
    expect((await h.schedules.get('process-upo'))?.state).toBe('DISABLED');
  });

  it('removes a schedule that has no entry', async () => {
    // Prepare
    const h = makeHarness();
    await h.schedules.put(desiredSchedule(makeEntry({ codeUnit: 'update-ledgers', status: 'Ready', nextRunAt: tomorrow })));
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.repairs).toEqual([expect.objectContaining({ codeUnit: 'update-ledgers', kind: 'orphan-removed' })]);
    expect(await h.schedules.get('update-ledgers')).toBeUndefined();
  });

  it('records a stale lease as an Error and lets the entry recover', async () => {
    // Prepare
    const h = makeHarness();
    const seeded = await h.seed({ status: 'Ready', nextRunAt: START, jobTimeoutSeconds: 60, maxAttempts: 1, autoRestart: false });
    await h.entries.update(acquireLease(seeded, 'schedule', 'crashed-run', h.clock.now()), seeded.version);
    await h.runs.start(makeRunLogEntry({ runId: 'crashed-run', entryId: seeded.id, startedAt: START }));
    h.clock.advance(60_000 + LEASE_GRACE_MS + 1);
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.counts['stale-lease-expired']).toBe(1);
    expect(await h.runs.get('send-documents', 'crashed-run')).toMatchObject({ status: 'Error', errorMessage: expect.stringMatching(/job timeout/) });
    expect(await h.entry()).toMatchObject({ status: 'Error', lease: null, nextRunAt: null });
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
  });

  it('a stale lease with attempts left becomes a retry that then runs', async () => {
    // Prepare
    const h = makeHarness();
    const seeded = await h.seed({ status: 'Ready', nextRunAt: START, jobTimeoutSeconds: 60, maxAttempts: 3 });
    await h.entries.update(acquireLease(seeded, 'schedule', 'crashed-run', h.clock.now()), seeded.version);
    h.clock.advance(60_000 + LEASE_GRACE_MS + 1);
    // Act
    await reconcileSchedules(h.deps, { random: () => 0 });
    const input = await h.scheduledInput();
    h.clock.set(input.scheduledFor);
    const row = await runEntry(h.runner, input, h.options);
    // Assess
    expect(input.trigger).toBe('retry');
    expect(row).toMatchObject({ status: 'Success', attempt: 2, trigger: 'retry' });
    // The crashed run had written no row: the reconciler wrote its Error row.
    expect(await h.runs.get('send-documents', 'crashed-run')).toMatchObject({ status: 'Error', attempt: 1 });
  });

  it('a live lease is left alone', async () => {
    // Prepare
    const h = makeHarness();
    const seeded = await h.seed({ status: 'Ready', nextRunAt: START, jobTimeoutSeconds: 600 });
    await h.entries.update(acquireLease(seeded, 'schedule', 'running', h.clock.now()), seeded.version);
    h.clock.advance(60_000);
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.repairs).toEqual([]);
    expect((await h.entry()).status).toBe('InProcess');
  });

  it('a missed run is rescheduled to run once now, not once per missed slot', async () => {
    // Prepare: hourly, due at 08:00, and the scheduler was down until 14:00.
    const h = makeHarness();
    await h.seed({ status: 'Ready', nextRunAt: START, recurrence: { ...makeEntry().recurrence, minutesBetweenRuns: 60 } });
    h.clock.set('2026-03-02T14:00:00.000Z');
    // Act
    const report = await reconcileSchedules(h.deps);
    const input = await h.scheduledInput();
    const row = await runEntry(h.runner, input, h.options);
    // Assess
    expect(report.counts['missed-run-rescheduled']).toBe(1);
    expect(input.scheduledFor).toBe('2026-03-02T14:00:00.000Z');
    expect(row.status).toBe('Success');
    expect((await h.entry()).nextRunAt).toBe('2026-03-02T15:00:00.000Z');
    expect(h.codeUnit.calls).toHaveLength(1);
  });

  it('leaves OnHold entries alone apart from keeping their schedule disabled', async () => {
    // Prepare
    const h = makeHarness();
    const held = await h.seed({ status: 'OnHold', updatedAt: START, version: 7 });
    await h.schedules.put({ ...desiredSchedule(held), state: 'ENABLED' });
    h.clock.advance(24 * 3_600_000);
    // Act
    await reconcileSchedules(h.deps);
    // Assess
    expect(await h.entry()).toEqual(held);
    expect((await h.schedules.get('send-documents'))?.state).toBe('DISABLED');
  });

  it('a failing schedule store is reported per entry and does not stop the pass', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'Ready', nextRunAt: tomorrow });
    await h.seed({ codeUnit: 'process-upo', id: 'upo', status: 'Ready', nextRunAt: tomorrow });
    await h.schedules.remove('send-documents');
    await h.schedules.remove('process-upo');
    const put = h.schedules.put.bind(h.schedules);
    h.schedules.put = async (schedule) => {
      if (schedule.codeUnit === 'send-documents') throw new Error('throttled');
      return put(schedule);
    };
    // Act
    const report = await reconcileSchedules(h.deps);
    // Assess
    expect(report.failures).toEqual([{ codeUnit: 'send-documents', message: 'throttled' }]);
    expect(report.counts['schedule-created']).toBe(1);
    expect(await h.schedules.get('process-upo')).toBeDefined();
  });
});
