import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorFixture, targetArn } from './emulator-fixture.js';

const DLQ = 'arn:aws:sqs:eu-central-1:000000000000:ksef-schedule-dlq';

describe('delivery retries and dead letters in the scheduler emulator', () => {
  let fixture: EmulatorFixture;

  afterEach(async () => {
    await fixture.close();
  });

  it('a target that keeps failing is retried MaximumRetryAttempts times with growing delays and then dead-lettered', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { retryBackoff: { initialMs: 1_000, maxMs: 60_000 } });
    fixture.behaviour = async () => {
      throw new Error('Rate exceeded');
    };
    await fixture.create('failing', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: { Arn: targetArn('failing'), RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: DLQ } },
    });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(fixture.firedAt('failing')).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:00:01.000Z',
      '2026-03-02T09:00:03.000Z',
      '2026-03-02T09:00:07.000Z',
    ]);
    expect(fixture.emulator.deadLetters()).toEqual([
      expect.objectContaining({
        deadLetterArn: DLQ,
        scheduleName: 'failing',
        targetArn: targetArn('failing'),
        input: JSON.stringify({ name: 'failing' }),
        scheduledTime: '2026-03-02T09:00:00.000Z',
        attempts: 4,
        exhaustedRetryCondition: 'MaximumRetryAttemptsExceeded',
        errorMessage: 'Rate exceeded',
        deadLetteredAt: '2026-03-02T09:00:07.000Z',
      }),
    ]);
  });

  it('a target that fails once and then accepts is delivered on the retry and nothing is dead-lettered', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    let calls = 0;
    fixture.behaviour = async () => {
      calls += 1;
      if (calls === 1) throw new Error('TooManyRequestsException');
    };
    await fixture.create('flaky', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: { Arn: targetArn('flaky'), RoleArn: 'r', DeadLetterConfig: { Arn: DLQ } },
    });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(calls).toBe(2);
    expect(fixture.emulator.deadLetters()).toEqual([]);
    expect(fixture.emulator.invocations().map((record) => [record.attempt, record.outcome])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
  });

  it('retries stop when the next one would exceed MaximumEventAgeInSeconds, and the letter says so', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { retryBackoff: { initialMs: 40_000, maxMs: 600_000 } });
    fixture.behaviour = async () => {
      throw new Error('Function is throttled');
    };
    await fixture.create('old', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: { Arn: targetArn('old'), RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: DLQ } },
    });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess: 09:00:00, 09:00:40; a third try at 09:02:00 would be 120 s old
    expect(fixture.firedAt('old')).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:40.000Z']);
    expect(fixture.emulator.deadLetters()).toEqual([expect.objectContaining({ attempts: 2, exhaustedRetryCondition: 'MaximumEventAgeExceeded' })]);
  });

  it('without a dead-letter queue an undeliverable invocation is dropped after its retries', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    fixture.behaviour = async () => {
      throw new Error('AccessDenied');
    };
    await fixture.create('no-dlq', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: { Arn: targetArn('no-dlq'), RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } },
    });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(fixture.firedAt('no-dlq')).toHaveLength(1);
    expect(fixture.emulator.deadLetters()).toEqual([]);
    expect(fixture.emulator.nextDueAt()).toBeUndefined();
  });

  it('the scheduler context attributes in a target input are filled in for each attempt', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    await fixture.create('templated', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: {
        Arn: targetArn('templated'),
        RoleArn: 'r',
        Input: '{"at":"<aws.scheduler.scheduled-time>","attempt":"<aws.scheduler.attempt-number>","arn":"<aws.scheduler.schedule-arn>"}',
      },
    });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(JSON.parse(fixture.fired[0]?.input ?? '')).toEqual({
      at: '2026-03-02T09:00:00Z',
      attempt: '1',
      arn: 'arn:aws:scheduler:eu-central-1:000000000000:schedule/ksef-jobs/templated',
    });
  });
});
