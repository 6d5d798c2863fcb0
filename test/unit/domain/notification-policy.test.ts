import { describe, expect, it } from 'vitest';
import {
  checkNotificationInterval,
  decideNotification,
  initialNotificationState,
  type NotificationDecision,
  type QueueNotificationState,
  type RunNotificationOutcome,
} from '../../../functions/domain/notification-policy.js';

const START = Date.parse('2026-03-02T08:00:00.000Z');
const MINUTE = 60_000;

/** Applies outcomes in order, `minutesApart` each, as the notify use case would; returns every decision. */
function story(outcomes: readonly RunNotificationOutcome[], minutesApart: number, intervalMinutes = 60, from = initialNotificationState('send-documents')) {
  let state: QueueNotificationState = from;
  const decisions: NotificationDecision[] = [];
  outcomes.forEach((outcome, index) => {
    const decision = decideNotification({ outcome, runId: `run-${index}`, state, now: new Date(START + index * minutesApart * MINUTE), intervalMinutes });
    decisions.push(decision);
    state = decision.changed ? { ...decision.next, version: state.version + 1 } : state;
  });
  return { decisions, state, sent: decisions.map((d) => d.send).filter((kind) => kind !== null) };
}

describe('notification policy', () => {
  it('the first final failure of a queue sends a failure e-mail and opens a streak', () => {
    // Act
    const { decisions, state } = story(['final-failure'], 0);
    // Assess
    expect(decisions[0]?.send).toBe('failure');
    expect(state).toMatchObject({
      failingSince: '2026-03-02T08:00:00.000Z',
      consecutiveFailures: 1,
      failureEmailSentInStreak: true,
      lastFailureEmailAt: '2026-03-02T08:00:00.000Z',
      unmailedFailures: 0,
      lastRunId: 'run-0',
    });
  });

  it('five final failures inside the interval send exactly one failure e-mail and count the other four', () => {
    // Act
    const { sent, state } = story(['final-failure', 'final-failure', 'final-failure', 'final-failure', 'final-failure'], 10);
    // Assess
    expect(sent).toEqual(['failure']);
    expect(state.consecutiveFailures).toBe(5);
    expect(state.unmailedFailures).toBe(4);
  });

  it('a final failure once the interval has passed mails again and reports the failures that were not mailed', () => {
    // Act: failures at 0, 30 and 60 minutes with a 60-minute interval
    const { decisions, state } = story(['final-failure', 'final-failure', 'final-failure'], 30);
    // Assess
    expect(decisions.map((d) => d.send)).toEqual(['failure', null, 'failure']);
    expect(decisions[2]?.unmailedBefore).toBe(1);
    expect(state.unmailedFailures).toBe(0);
    expect(state.lastFailureEmailAt).toBe('2026-03-02T09:00:00.000Z');
  });

  it('one minute short of the interval is still inside it', () => {
    // Act
    const { decisions } = story(['final-failure', 'final-failure'], 59);
    // Assess
    expect(decisions[1]?.send).toBeNull();
    expect(decisions[1]?.reason).toContain('2026-03-02T09:00:00.000Z');
  });

  it('with a configured interval of 15 minutes, final failures 15 minutes apart each mail', () => {
    // Act
    const { sent } = story(['final-failure', 'final-failure', 'final-failure'], 15, 15);
    // Assess
    expect(sent).toEqual(['failure', 'failure', 'failure']);
  });

  it('failed attempts that will be retried never mail and change nothing', () => {
    // Act
    const { sent, decisions, state } = story(['retry-scheduled', 'retry-scheduled'], 1);
    // Assess
    expect(sent).toEqual([]);
    expect(decisions.every((d) => !d.changed)).toBe(true);
    expect(state).toEqual(initialNotificationState('send-documents'));
  });

  it('a success after a mailed failure sends one recovery e-mail and ends the streak', () => {
    // Act
    const { sent, state } = story(['final-failure', 'final-failure', 'success', 'success'], 5);
    // Assess
    expect(sent).toEqual(['failure', 'recovery']);
    expect(state).toMatchObject({ failingSince: null, consecutiveFailures: 0, failureEmailSentInStreak: false, lastRecoveryEmailAt: '2026-03-02T08:10:00.000Z' });
  });

  it('a success with no failure before sends nothing and needs no write', () => {
    // Act
    const { decisions } = story(['success'], 0);
    // Assess
    expect(decisions[0]).toMatchObject({ send: null, changed: false });
  });

  it('a streak that nobody was e-mailed about ends without a recovery e-mail', () => {
    // Prepare: a failure was mailed 10 minutes ago, and the queue recovered since
    const mailed = story(['final-failure', 'success'], 5).state;
    // Act: it fails again inside the interval (no mail), then succeeds
    const { decisions, state } = story(['final-failure', 'success'], 5, 60, { ...mailed, lastRunId: null });
    // Assess
    expect(decisions.map((d) => d.send)).toEqual([null, null]);
    expect(decisions[1]?.changed).toBe(true);
    expect(state.failingSince).toBeNull();
  });

  it('a queue that keeps failing after its recovery e-mail is mailed again once the interval has passed', () => {
    // Act: fail (mail), recover (mail), fail at 40 (silent), fail at 60 (mail), recover (mail)
    const { decisions } = story(['final-failure', 'success', 'final-failure', 'final-failure', 'success'], 20);
    // Assess
    expect(decisions.map((d) => d.send)).toEqual(['failure', 'recovery', null, 'failure', 'recovery']);
  });

  it('the same run applied twice decides nothing the second time', () => {
    // Prepare
    const first = decideNotification({ outcome: 'final-failure', runId: 'run-a', state: initialNotificationState('process-upo'), now: new Date(START), intervalMinutes: 60 });
    // Act
    const again = decideNotification({ outcome: 'final-failure', runId: 'run-a', state: first.next, now: new Date(START + 2 * 60 * MINUTE), intervalMinutes: 60 });
    // Assess
    expect(again).toMatchObject({ send: null, changed: false });
  });

  it('an interval outside 1 … 10080 whole minutes is refused', () => {
    // Act & Assess
    expect(() => checkNotificationInterval(0)).toThrow(RangeError);
    expect(() => checkNotificationInterval(1.5)).toThrow(RangeError);
    expect(() => checkNotificationInterval(10_081)).toThrow(RangeError);
    expect(checkNotificationInterval(60)).toBe(60);
  });
});
