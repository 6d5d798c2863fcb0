import { describe, expect, it } from 'vitest';
import type { JobQueueEntry } from '../../../functions/domain/job-queue-entry.js';
import { notificationOutcomeOf } from '../../../functions/domain/notification-policy.js';
import { desiredSchedule } from '../../../functions/domain/schedule.js';
import { acquireLease, expireStaleLease, finishRun, LEASE_GRACE_MS, moveToOnHold, moveToReady, type RunOutcome } from '../../../functions/domain/transitions.js';
import { makeEntry } from '../../helpers/entry-factory.js';

/*
 * "Run now" never shifts the schedule: a manual run is one attempt that the admin watches. Its
 * failure is recorded but not retried, and the entry keeps the status and the next run it had.
 * The story of the defect: a daily 03:00 job run by hand at 23:08:29 that failed.
 */

const daily = { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, startingTime: null, endingTime: null };
/** Tuesday 3 March 2026, 03:00 in Warsaw (CET, UTC+1). */
const SLOT = '2026-03-03T02:00:00.000Z';
/** Monday 2 March 2026, 23:08:29 in Warsaw. */
const PRESSED = new Date('2026-03-02T22:08:29.000Z');
const ENDED = new Date('2026-03-02T22:08:31.000Z');
const plusMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

const failure = (runId: string): RunOutcome => ({ kind: 'failure', runId, errorMessage: 'KSeF said no' });
const success = (runId: string): RunOutcome => ({ kind: 'success', runId, counters: {} });
const readyAtThree = makeEntry({ status: 'Ready', recurrence: daily, maxAttempts: 1, nextRunAt: SLOT, nextRunTrigger: 'schedule', version: 7 });

/** The fields a manual run must leave as they were. */
const runState = (entry: JobQueueEntry) => ({ status: entry.status, attemptsMade: entry.attemptsMade, nextRunAt: entry.nextRunAt, nextRunTrigger: entry.nextRunTrigger });

describe('a manual run that fails', () => {
  it('leaves a Ready daily entry Ready with its 03:00 slot, whatever the retry policy would say', () => {
    // Prepare
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', PRESSED, 'admin');
    // Act: the policy's verdict (final failure with maxAttempts 1, or a retry) is not asked for and not used.
    const withoutVerdict = finishRun(leased, failure('run-m'), ENDED, null);
    const withFinalVerdict = finishRun(leased, failure('run-m'), ENDED, { retry: false });
    const withRetryVerdict = finishRun(leased, failure('run-m'), ENDED, { retry: true, delayMs: 3_000 });
    // Assess
    for (const finished of [withoutVerdict, withFinalVerdict, withRetryVerdict]) {
      expect(runState(finished)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: SLOT, nextRunTrigger: 'schedule' });
      expect(finished).toMatchObject({ lease: null, lastRun: { runId: 'run-m', status: 'Error', errorMessage: 'KSeF said no', finishedAt: ENDED.toISOString() } });
    }
  });

  it('leaves the entry with the same desired schedule it had before the run', () => {
    // Prepare
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', PRESSED, 'admin');
    // Act
    const finished = finishRun(leased, failure('run-m'), ENDED, null);
    // Assess: same state, time, trigger and slot, so nothing is put and the watchdog sees no drift.
    expect(desiredSchedule(finished)).toEqual(desiredSchedule(readyAtThree));
    expect(desiredSchedule(leased)).toEqual(desiredSchedule(readyAtThree));
  });

  it('keeps a pending retry and the attempts of the failure streak it interrupted', () => {
    // Prepare: attempt 1 of 3 failed at 03:00; its retry is due at 03:05.
    const retrying = { ...readyAtThree, maxAttempts: 3, attemptsMade: 1, nextRunAt: '2026-03-03T02:05:00.000Z', nextRunTrigger: 'retry' as const };
    const pressed = new Date('2026-03-03T02:01:00.000Z');
    const leased = acquireLease(retrying, 'manual', 'run-m', pressed, 'admin');
    // Act
    const finished = finishRun(leased, failure('run-m'), plusMs(pressed, 2_000), null);
    // Assess
    expect(runState(finished)).toEqual(runState(retrying));
  });

  it('keeps an entry in Error with its pending restart', () => {
    // Prepare
    const inError = { ...readyAtThree, status: 'Error' as const, attemptsMade: 1, nextRunTrigger: 'restart' as const };
    const leased = acquireLease(inError, 'manual', 'run-m', PRESSED, 'admin');
    // Act
    const finished = finishRun(leased, failure('run-m'), ENDED, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'Error', attemptsMade: 1, nextRunAt: SLOT, nextRunTrigger: 'restart' });
    expect(desiredSchedule(finished)).toEqual(desiredSchedule(inError));
  });

  it('keeps an OnHold entry OnHold without a next run', () => {
    // Prepare
    const held = { ...readyAtThree, status: 'OnHold' as const, nextRunAt: null };
    const leased = acquireLease(held, 'manual', 'run-m', PRESSED, 'admin');
    // Act
    const finished = finishRun(leased, failure('run-m'), ENDED, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'OnHold', attemptsMade: 0, nextRunAt: null, nextRunTrigger: 'schedule' });
  });

  it('ends OnHold when an admin put the entry OnHold during the run', () => {
    // Prepare
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', PRESSED, 'admin');
    const stopped = moveToOnHold(leased, plusMs(PRESSED, 1_000), 'admin');
    // Act
    const finished = finishRun(stopped, failure('run-m'), ENDED, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'OnHold', attemptsMade: 0, nextRunAt: null, nextRunTrigger: 'schedule' });
  });

  it('whose lease went stale is recorded as that failure and still leaves the slot where it was', () => {
    // Prepare: the manual run crashed; the lease is found stale after its job timeout and the grace.
    const leased = acquireLease({ ...readyAtThree, jobTimeoutSeconds: 60 }, 'manual', 'run-m', PRESSED, 'admin');
    const found = plusMs(PRESSED, 60_000 + LEASE_GRACE_MS + 1);
    // Act
    const expired = expireStaleLease(leased, found, { retry: false });
    // Assess
    expect(runState(expired)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: SLOT, nextRunTrigger: 'schedule' });
    expect(expired.lastRun).toMatchObject({ runId: 'run-m', status: 'Error' });
  });

  it('is not a final failure: nobody is mailed and no failure streak starts', () => {
    // Prepare
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', PRESSED, 'admin');
    const finished = finishRun(leased, failure('run-m'), ENDED, null);
    // Act
    const outcome = notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Error', entryAfter: finished });
    // Assess
    expect(outcome).toBeNull();
  });
});

describe('a scheduled slot that comes while a manual run holds the lease', () => {
  const pressed = new Date('2026-03-03T01:59:30.000Z');
  const afterSlot = new Date('2026-03-03T02:00:40.000Z');

  it('runs at the next whole minute after a failed manual run, still as a scheduled run', () => {
    // Prepare: the 03:00 trigger found the lease taken and was skipped.
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', pressed, 'admin');
    // Act
    const finished = finishRun(leased, failure('run-m'), afterSlot, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: '2026-03-03T02:01:00.000Z', nextRunTrigger: 'schedule' });
    expect(desiredSchedule(finished)).toMatchObject({ state: 'ENABLED', input: { trigger: 'schedule', scheduledFor: '2026-03-03T02:01:00.000Z' } });
  });

  it('is stood for by a successful manual run: the next run is a day after the minute it ended in', () => {
    // Prepare
    const leased = acquireLease(readyAtThree, 'manual', 'run-m', pressed, 'admin');
    // Act
    const finished = finishRun(leased, success('run-m'), afterSlot, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: '2026-03-04T02:00:00.000Z', nextRunTrigger: 'schedule' });
  });

  it('that was an automatic restart still restarts the entry in Error, at the next whole minute', () => {
    // Prepare
    const inError = { ...readyAtThree, status: 'Error' as const, attemptsMade: 1, nextRunTrigger: 'restart' as const };
    const leased = acquireLease(inError, 'manual', 'run-m', pressed, 'admin');
    // Act
    const afterFailure = finishRun(leased, failure('run-m'), afterSlot, null);
    const afterSuccess = finishRun(leased, success('run-m'), afterSlot, null);
    // Assess
    for (const finished of [afterFailure, afterSuccess]) {
      expect(runState(finished)).toEqual({ status: 'Error', attemptsMade: 1, nextRunAt: '2026-03-03T02:01:00.000Z', nextRunTrigger: 'restart' });
      expect(desiredSchedule(finished)).toMatchObject({ state: 'ENABLED', input: { trigger: 'restart' } });
    }
  });
});

describe('a manual run that succeeds', () => {
  it('on a Ready entry keeps its slot, resets the attempts and is a success to notify', () => {
    // Prepare
    const leased = acquireLease({ ...readyAtThree, attemptsMade: 0 }, 'manual', 'run-m', PRESSED, 'admin');
    // Act
    const finished = finishRun(leased, success('run-m'), ENDED, null);
    // Assess
    expect(runState(finished)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: SLOT, nextRunTrigger: 'schedule' });
    expect(notificationOutcomeOf({ previousStatus: 'Ready', runStatus: 'Success', entryAfter: finished })).toBe('success');
  });

  it('on an entry in Error leaves it in Error with its restart, and set Ready still recovers it at once', () => {
    // Prepare
    const inError = { ...readyAtThree, status: 'Error' as const, attemptsMade: 1, nextRunTrigger: 'restart' as const };
    const leased = acquireLease(inError, 'manual', 'run-m', PRESSED, 'admin');
    // Act
    const finished = finishRun(leased, success('run-m'), ENDED, null);
    const recovered = moveToReady(finished, plusMs(ENDED, 60_000), 'admin');
    // Assess
    expect(runState(finished)).toEqual({ status: 'Error', attemptsMade: 1, nextRunAt: SLOT, nextRunTrigger: 'restart' });
    expect(finished.lastRun).toMatchObject({ runId: 'run-m', status: 'Success' });
    expect(notificationOutcomeOf({ previousStatus: 'Error', runStatus: 'Success', entryAfter: finished })).toBeNull();
    expect(runState(recovered)).toEqual({ status: 'Ready', attemptsMade: 0, nextRunAt: '2026-03-02T22:10:00.000Z', nextRunTrigger: 'schedule' });
  });
});
