import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../functions/domain/errors.js';
import {
  acquireLease,
  canDelete,
  expireStaleLease,
  finishRun,
  isLeaseStale,
  LEASE_GRACE_MS,
  moveToOnHold,
  moveToReady,
  rescheduleMissedRun,
  restartFromError,
  restartMissed,
  withRestartScheduled,
  withSettings,
} from '../../../functions/domain/transitions.js';
import { makeEntry } from '../../helpers/entry-factory.js';

// Monday 2 March 2026, 09:00 in Warsaw (CET, UTC+1).
const NOW = new Date('2026-03-02T08:00:00.000Z');
const plusMs = (date: Date, ms: number) => new Date(date.getTime() + ms);
const hourly = { minutesBetweenRuns: 60, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: null, endingTime: null };

describe('moveToReady', () => {
  it('an OnHold entry becomes Ready with its attempts reset and its first run now', () => {
    // Prepare
    const entry = makeEntry({ status: 'OnHold', attemptsMade: 2 });
    // Act
    const ready = moveToReady(entry, NOW, 'admin');
    // Assess
    expect(ready).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunAt: NOW.toISOString(), nextRunTrigger: 'schedule', updatedBy: 'admin' });
    expect(entry.status).toBe('OnHold');
  });

  it('the first run of a Ready entry waits for its earliest start and its daily window', () => {
    // Prepare
    const entry = makeEntry({
      status: 'Error',
      earliestStartAt: '2026-03-03T00:00:00.000Z',
      recurrence: { ...hourly, startingTime: '06:00', endingTime: '18:00' },
    });
    // Act
    const ready = moveToReady(entry, NOW, 'admin');
    // Assess: 06:00 Warsaw on Tuesday is 05:00 UTC.
    expect(ready.nextRunAt).toBe('2026-03-03T05:00:00.000Z');
  });

  it('a Ready entry stays as it is, so repeating the request does not move its schedule', () => {
    // Prepare
    const entry = makeEntry({ status: 'Ready', nextRunAt: '2026-03-03T08:00:00.000Z' });
    // Act
    const ready = moveToReady(entry, NOW, 'admin');
    // Assess
    expect(ready).toBe(entry);
  });

  it('a running entry that returns to OnHold after its run cannot be set Ready', () => {
    // Prepare
    const entry = acquireLease(makeEntry({ status: 'OnHold' }), 'manual', 'run-1', NOW);
    // Act
    const act = () => moveToReady(entry, NOW, 'admin');
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });
});

describe('moveToOnHold', () => {
  it('a Ready entry goes OnHold without a next run', () => {
    // Prepare
    const entry = makeEntry({ status: 'Ready', nextRunAt: '2026-03-03T08:00:00.000Z', nextRunTrigger: 'retry' });
    // Act
    const held = moveToOnHold(entry, NOW, 'admin');
    // Assess
    expect(held).toMatchObject({ status: 'OnHold', nextRunAt: null, nextRunTrigger: 'schedule' });
  });

  it('a running entry stays InProcess but has no next run and goes OnHold when its run ends', () => {
    // Prepare
    const running = acquireLease(makeEntry({ status: 'Ready', nextRunAt: NOW.toISOString() }), 'schedule', 'run-1', NOW);
    // Act
    const held = moveToOnHold(running, NOW, 'admin');
    const finished = finishRun(held, { kind: 'success', runId: 'run-1', counters: {} }, plusMs(NOW, 1000), null);
    // Assess
    expect(held).toMatchObject({ status: 'InProcess', nextRunAt: null, lease: { previousStatus: 'OnHold' } });
    expect(finished).toMatchObject({ status: 'OnHold', nextRunAt: null, lease: null });
  });
});

describe('acquireLease', () => {
  it('a scheduled run leases a Ready entry until its job timeout and keeps the next run time', () => {
    // Prepare
    const entry = makeEntry({ status: 'Ready', nextRunAt: NOW.toISOString(), attemptsMade: 1, jobTimeoutSeconds: 120 });
    // Act
    const leased = acquireLease(entry, 'retry', 'run-1', NOW);
    // Assess
    expect(leased).toMatchObject({
      status: 'InProcess',
      nextRunAt: NOW.toISOString(),
      lease: { runId: 'run-1', trigger: 'retry', attempt: 2, startedAt: NOW.toISOString(), expiresAt: '2026-03-02T08:02:00.000Z', previousStatus: 'Ready' },
    });
  });

  it.each(['OnHold', 'Error'] as const)('a scheduled run cannot lease an entry that is %s', (status) => {
    // Prepare
    const entry = makeEntry({ status });
    // Act
    const act = () => acquireLease(entry, 'schedule', 'run-1', NOW);
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });

  it.each(['OnHold', 'Error', 'Ready'] as const)('a manual run leases an entry that is %s and remembers where it returns', (status) => {
    // Prepare
    const entry = makeEntry({ status });
    // Act
    const leased = acquireLease(entry, 'manual', 'run-1', NOW);
    // Assess
    expect(leased.lease?.previousStatus).toBe(status);
  });

  it('a second lease on a running entry is refused', () => {
    // Prepare
    const leased = acquireLease(makeEntry({ status: 'Ready' }), 'schedule', 'run-1', NOW);
    // Act
    const act = () => acquireLease(leased, 'manual', 'run-2', NOW);
    // Assess
    expect(act).toThrow(/run-1/);
  });
});

describe('finishRun', () => {
  const ready = makeEntry({ status: 'Ready', recurrence: hourly, nextRunAt: NOW.toISOString() });

  it('a recurring success returns to Ready with the next run an interval after the minute it ended in and the attempts reset', () => {
    // Prepare
    const leased = acquireLease({ ...ready, attemptsMade: 2, nextRunTrigger: 'retry' }, 'retry', 'run-1', NOW);
    const end = plusMs(NOW, 90_000);
    // Act
    const finished = finishRun(leased, { kind: 'success', runId: 'run-1', counters: { sent: 1 } }, end, null);
    // Assess
    expect(finished).toMatchObject({
      status: 'Ready',
      attemptsMade: 0,
      nextRunAt: '2026-03-02T09:01:00.000Z',
      nextRunTrigger: 'schedule',
      lease: null,
      lastRun: { runId: 'run-1', status: 'Success', finishedAt: end.toISOString(), errorMessage: null },
    });
  });

  it('a manual success keeps the next run when its slot is still ahead', () => {
    // Prepare
    const entry = { ...ready, nextRunAt: '2026-03-02T08:30:00.000Z' };
    const leased = acquireLease(entry, 'manual', 'run-1', NOW);
    // Act
    const finished = finishRun(leased, { kind: 'success', runId: 'run-1', counters: {} }, plusMs(NOW, 5000), null);
    // Assess
    expect(finished).toMatchObject({ status: 'Ready', nextRunAt: '2026-03-02T08:30:00.000Z' });
  });

  it('a manual success whose slot passed during the run computes the next run from its end', () => {
    // Prepare
    const leased = acquireLease({ ...ready, nextRunAt: '2026-03-02T08:00:30.000Z' }, 'manual', 'run-1', NOW);
    // Act
    const finished = finishRun(leased, { kind: 'success', runId: 'run-1', counters: {} }, plusMs(NOW, 60_000), null);
    // Assess
    expect(finished.nextRunAt).toBe('2026-03-02T09:01:00.000Z');
  });

  it('a manual run on an OnHold entry returns it to OnHold whatever its outcome', () => {
    // Prepare
    const leased = acquireLease(makeEntry({ status: 'OnHold' }), 'manual', 'run-1', NOW);
    // Act
    const afterSuccess = finishRun(leased, { kind: 'success', runId: 'run-1', counters: {} }, NOW, null);
    const afterFailure = finishRun(leased, { kind: 'failure', runId: 'run-1', errorMessage: 'boom' }, NOW, { retry: true, delayMs: 1000 });
    // Assess
    expect(afterSuccess).toMatchObject({ status: 'OnHold', nextRunAt: null });
    expect(afterFailure).toMatchObject({ status: 'OnHold', nextRunAt: null, lastRun: { status: 'Error', errorMessage: 'boom' } });
  });

  it('a failure with attempts left is retried after the delay with the retry trigger', () => {
    // Prepare
    const leased = acquireLease(ready, 'schedule', 'run-1', NOW);
    // Act
    const finished = finishRun(leased, { kind: 'failure', runId: 'run-1', errorMessage: 'boom' }, NOW, { retry: true, delayMs: 60_000 });
    // Assess
    expect(finished).toMatchObject({ status: 'Ready', attemptsMade: 1, nextRunAt: '2026-03-02T08:01:00.000Z', nextRunTrigger: 'retry' });
  });

  it('the final failure of an entry without automatic restart puts it in Error without a next run', () => {
    // Prepare
    const leased = acquireLease({ ...ready, attemptsMade: 2, autoRestart: false }, 'retry', 'run-3', NOW);
    // Act
    const finished = finishRun(leased, { kind: 'failure', runId: 'run-3', errorMessage: 'boom' }, NOW, { retry: false });
    // Assess
    expect(finished).toMatchObject({ status: 'Error', attemptsMade: 3, nextRunAt: null, nextRunTrigger: 'schedule', lease: null });
  });

  it('the final failure of an entry with automatic restart puts it in Error with the restart at its next scheduled slot', () => {
    // Prepare
    const daily = { ...ready, recurrence: { ...hourly, minutesBetweenRuns: 1440, startingTime: '06:00', endingTime: '18:00' } };
    const leased = acquireLease({ ...daily, attemptsMade: 2 }, 'retry', 'run-3', NOW);
    const failedAt = plusMs(NOW, 5 * 60_000);
    // Act
    const finished = finishRun(leased, { kind: 'failure', runId: 'run-3', errorMessage: 'boom' }, failedAt, { retry: false });
    // Assess: the next daily slot is tomorrow 06:00 in Warsaw (05:00 UTC).
    expect(finished).toMatchObject({ status: 'Error', attemptsMade: 3, nextRunAt: '2026-03-03T05:00:00.000Z', nextRunTrigger: 'restart', lease: null });
  });

  it('a run that does not hold the lease cannot finish the entry', () => {
    // Prepare
    const leased = acquireLease(ready, 'schedule', 'run-1', NOW);
    // Act
    const act = () => finishRun(leased, { kind: 'success', runId: 'run-2', counters: {} }, NOW, null);
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });

  it('a run cannot finish an entry that is not running', () => {
    // Act
    const act = () => finishRun(ready, { kind: 'success', runId: 'run-1', counters: {} }, NOW, null);
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });
});

describe('stale leases', () => {
  const leased = acquireLease(makeEntry({ status: 'Ready', nextRunAt: NOW.toISOString(), jobTimeoutSeconds: 60 }), 'schedule', 'run-1', NOW);
  const expiry = plusMs(NOW, 60_000);

  it('a lease becomes stale only after its job timeout and the grace period', () => {
    // Assess
    expect(isLeaseStale(leased, expiry)).toBe(false);
    expect(isLeaseStale(leased, plusMs(expiry, LEASE_GRACE_MS))).toBe(false);
    expect(isLeaseStale(leased, plusMs(expiry, LEASE_GRACE_MS + 1))).toBe(true);
    expect(isLeaseStale(makeEntry({ status: 'Ready' }), plusMs(expiry, 10 * LEASE_GRACE_MS))).toBe(false);
  });

  it('an expired lease with attempts left becomes a retry, and on the last attempt an Error', () => {
    // Prepare
    const late = plusMs(expiry, 2 * LEASE_GRACE_MS);
    // Act
    const retried = expireStaleLease(leased, late, { retry: true, delayMs: 1000 });
    const failed = expireStaleLease(leased, late, { retry: false });
    // Assess
    expect(retried).toMatchObject({ status: 'Ready', nextRunTrigger: 'retry', attemptsMade: 1, lease: null });
    expect(retried.lastRun?.errorMessage).toMatch(/did not finish within its job timeout/);
    expect(failed).toMatchObject({ status: 'Error', nextRunTrigger: 'restart', lease: null });
    // A daily entry: its next slot is a day after the stale lease was found.
    expect(failed.nextRunAt).toBe('2026-03-03T08:03:00.000Z');
  });

  it('a lease that is not stale cannot be expired', () => {
    // Act
    const act = () => expireStaleLease(leased, expiry, { retry: false });
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });
});

describe('settings, deletion and missed runs', () => {
  it('an entry can be deleted in every status but InProcess', () => {
    // Assess
    expect(canDelete(makeEntry({ status: 'Ready' }))).toBe(true);
    expect(canDelete(makeEntry({ status: 'Error' }))).toBe(true);
    expect(canDelete(acquireLease(makeEntry({ status: 'Ready' }), 'schedule', 'r', NOW))).toBe(false);
  });

  it('a new interval on a Ready entry recomputes its next run from the end of its last run', () => {
    // Prepare
    const entry = makeEntry({
      status: 'Ready',
      nextRunAt: '2026-03-03T07:30:00.000Z',
      lastRun: { runId: 'r', status: 'Success', finishedAt: '2026-03-02T07:30:00.000Z', errorMessage: null },
    });
    // Act
    const changed = withSettings(entry, { ...entry, recurrence: hourly }, NOW, 'admin');
    // Assess
    expect(changed.nextRunAt).toBe('2026-03-02T08:30:00.000Z');
  });

  it('a new description keeps the next run', () => {
    // Prepare
    const entry = makeEntry({ status: 'Ready', nextRunAt: '2026-03-03T07:30:00.000Z' });
    // Act
    const changed = withSettings(entry, { ...entry, description: 'new' }, NOW, 'admin');
    // Assess
    expect(changed).toMatchObject({ description: 'new', nextRunAt: '2026-03-03T07:30:00.000Z' });
  });

  it('settings cannot change while the entry runs', () => {
    // Prepare
    const running = acquireLease(makeEntry({ status: 'Ready' }), 'schedule', 'r', NOW);
    // Act
    const act = () => withSettings(running, { ...running, description: 'new' }, NOW, 'admin');
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });

  it('a missed run is moved to now, once', () => {
    // Prepare
    const entry = makeEntry({ status: 'Ready', nextRunAt: '2026-03-01T08:00:00.000Z' });
    // Act
    const rescheduled = rescheduleMissedRun(entry, NOW, 'system:reconciler');
    // Assess
    expect(rescheduled.nextRunAt).toBe(NOW.toISOString());
  });
});

describe('automatic restart', () => {
  const failedAt = '2026-03-02T08:00:00.000Z';
  const inError = makeEntry({
    status: 'Error',
    recurrence: hourly,
    attemptsMade: 3,
    nextRunAt: '2026-03-02T09:00:00.000Z',
    nextRunTrigger: 'restart',
    lastRun: { runId: 'r', status: 'Error', finishedAt: failedAt, errorMessage: 'boom' },
  });
  const atSlot = new Date('2026-03-02T09:00:00.000Z');

  it('the restart trigger moves an entry in Error back to Ready with its attempts reset and takes the lease in one step', () => {
    // Act
    const leased = acquireLease(inError, 'restart', 'run-r', atSlot);
    // Assess
    expect(leased).toMatchObject({ status: 'InProcess', attemptsMade: 0, lease: { trigger: 'restart', attempt: 1, previousStatus: 'Ready' } });
  });

  it('a restart that fails again retries within its attempts and ends with the next restart pending', () => {
    // Prepare
    const leased = acquireLease(inError, 'restart', 'run-r', atSlot);
    // Act
    const retried = finishRun(leased, { kind: 'failure', runId: 'run-r', errorMessage: 'again' }, atSlot, { retry: true, delayMs: 30_000 });
    // Assess
    expect(retried).toMatchObject({ status: 'Ready', attemptsMade: 1, nextRunTrigger: 'retry', nextRunAt: '2026-03-02T09:00:30.000Z' });
  });

  it('an entry put On Hold is never restarted: its pending restart is cleared and a restart trigger is refused', () => {
    // Act
    const held = moveToOnHold(inError, NOW, 'admin');
    // Assess
    expect(held).toMatchObject({ status: 'OnHold', nextRunAt: null, nextRunTrigger: 'schedule' });
    expect(() => acquireLease(held, 'restart', 'run-r', atSlot)).toThrow(IllegalTransitionError);
    expect(() => restartFromError(held, atSlot)).toThrow(IllegalTransitionError);
  });

  it('an entry in Error without a pending restart is not restarted', () => {
    // Prepare
    const stuck = { ...inError, nextRunAt: null, nextRunTrigger: 'schedule' as const };
    // Act
    const act = () => acquireLease(stuck, 'restart', 'run-r', atSlot);
    // Assess
    expect(act).toThrow(IllegalTransitionError);
  });

  it('a manual run on an entry in Error returns it to Error with its restart still pending', () => {
    // Prepare
    const leased = acquireLease(inError, 'manual', 'run-m', NOW);
    // Act
    const finished = finishRun(leased, { kind: 'success', runId: 'run-m', counters: {} }, NOW, null);
    // Assess
    expect(finished).toMatchObject({ status: 'Error', nextRunAt: '2026-03-02T09:00:00.000Z', nextRunTrigger: 'restart' });
  });

  it('switching autoRestart off cancels a pending restart, and switching it on schedules one', () => {
    // Act
    const off = withSettings(inError, { ...inError, autoRestart: false }, NOW, 'admin');
    const on = withSettings(off, { ...off, autoRestart: true }, NOW, 'admin');
    // Assess
    expect(off).toMatchObject({ status: 'Error', nextRunAt: null, nextRunTrigger: 'schedule' });
    expect(on).toMatchObject({ status: 'Error', nextRunAt: '2026-03-02T09:00:00.000Z', nextRunTrigger: 'restart' });
  });

  it('a restart scheduled long after the failure runs from now, not in the past', () => {
    // Prepare
    const stuck = { ...inError, nextRunAt: null, nextRunTrigger: 'schedule' as const };
    const muchLater = new Date('2026-03-02T12:34:00.000Z');
    // Act
    const scheduled = withRestartScheduled(stuck, muchLater, 'system:reconciler');
    // Assess
    expect(scheduled).toMatchObject({ nextRunAt: muchLater.toISOString(), nextRunTrigger: 'restart' });
  });

  it('a missed restart sets the entry Ready now, attempts reset, still run as a restart', () => {
    // Prepare
    const late = new Date('2026-03-02T09:10:00.000Z');
    // Act
    const restarted = restartMissed(inError, late, 'system:reconciler');
    // Assess
    expect(restarted).toMatchObject({ status: 'Ready', attemptsMade: 0, nextRunAt: late.toISOString(), nextRunTrigger: 'restart' });
  });
});
