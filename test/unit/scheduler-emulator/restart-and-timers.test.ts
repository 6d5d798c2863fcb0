import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { startSchedulerEmulator } from '../../../functions/adapters/local/scheduler-emulator/scheduler-emulator.js';
import { EmulatorFixture, GROUP, targetArn } from './emulator-fixture.js';

describe('the scheduler emulator across restarts', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scheduler-emulator-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('schedules written before a restart are still there and fire after it', async () => {
    // Prepare
    const before = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { dataDir });
    await before.create('survivor', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await before.create('disabled', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'DISABLED' });
    await before.close();
    // Act
    const after = await EmulatorFixture.start('2026-03-02T08:30:00.000Z', { dataDir });
    await after.advanceTo('2026-03-02T12:00:00.000Z');
    // Assess
    expect(after.firedAt('survivor')).toEqual(['2026-03-02T09:00:00.000Z']);
    expect(after.firedAt('disabled')).toEqual([]);
    expect(await after.exists('disabled')).toBe(true);
    await after.close();
  });

  it('a slot that fired before a restart does not fire again after it', async () => {
    // Prepare
    const before = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { dataDir });
    await before.create('once', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await before.advanceTo('2026-03-02T09:00:30.000Z');
    await before.close();
    // Act
    const after = await EmulatorFixture.start('2026-03-02T09:00:40.000Z', { dataDir });
    await after.emulator.runDue();
    // Assess
    expect(before.firedAt('once')).toHaveLength(1);
    expect(after.fired).toEqual([]);
    await after.close();
  });

  it('a retry pending at shutdown is still delivered after the restart', async () => {
    // Prepare
    const before = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { dataDir, retryBackoff: { initialMs: 60_000, maxMs: 60_000 } });
    before.behaviour = async () => {
      throw new Error('throttled');
    };
    await before.create('retried', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await before.advanceTo('2026-03-02T09:00:30.000Z');
    await before.close();
    // Act
    const after = await EmulatorFixture.start('2026-03-02T09:00:30.000Z', { dataDir });
    await after.advanceTo('2026-03-02T09:05:00.000Z');
    // Assess
    expect(after.firedAt('retried')).toEqual(['2026-03-02T09:01:00.000Z']);
    expect(after.emulator.invocations()).toEqual([expect.objectContaining({ attempt: 2, outcome: 'succeeded' })]);
    await after.close();
  });

  it('slots missed while stopped for longer than MaximumEventAgeInSeconds are passed over, the recent one fires', async () => {
    // Prepare
    const before = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { dataDir });
    await before.create('hourly', {
      ScheduleExpression: 'rate(1 hour)',
      Target: { Arn: targetArn('hourly'), RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } },
    });
    await before.close();
    // Act
    const after = await EmulatorFixture.start('2026-03-05T08:30:00.000Z', { dataDir });
    await after.emulator.runDue();
    // Assess
    expect(after.firedAt('hourly')).toEqual(['2026-03-05T08:30:00.000Z']);
    expect(after.emulator.invocations().map((record) => [record.scheduledTime, record.outcome])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'expired'],
      ['2026-03-05T08:00:00.000Z', 'succeeded'],
    ]);
    expect(after.emulator.nextDueAt()?.toISOString()).toBe('2026-03-05T09:00:00.000Z');
    await after.close();
  });

  it('the state file is replaced whole: no temporary file is left beside it', async () => {
    // Prepare
    const fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z', { dataDir });
    // Act
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => fixture.create(name, { ScheduleExpression: 'rate(5 minutes)' })));
    await fixture.close();
    // Assess
    expect(await readdir(dataDir)).toEqual(['scheduler-emulator.json']);
  });
});

describe('the scheduler emulator with real timers', () => {
  it('a schedule due now is fired by the timer without anyone calling runDue', async () => {
    // Prepare
    const clock = new ManualClock(new Date('2026-03-02T09:00:10.000Z'));
    let resolveFired: (input: string) => void = () => undefined;
    const fired = new Promise<string>((resolve) => {
      resolveFired = resolve;
    });
    const emulator = await startSchedulerEmulator({ clock, scheduleGroups: [GROUP], invokeTarget: async (_arn, input) => resolveFired(input) });
    const client = emulator.createClient();
    // Act
    await client.send(
      new CreateScheduleCommand({
        Name: 'now',
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-02T10:00:00)',
        ScheduleExpressionTimezone: 'Europe/Warsaw',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:lambda:eu-central-1:000000000000:function:now', RoleArn: 'r', Input: '{"due":true}' },
      }),
    );
    // Assess
    expect(await fired).toBe('{"due":true}');
    await emulator.close();
  });

  it('a single timer is armed at the earliest due moment and re-armed when a schedule changes', async () => {
    // Prepare
    const fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    await fixture.create('late', { ScheduleExpression: 'at(2026-03-02T18:00:00)' });
    expect(fixture.emulator.nextDueAt()?.toISOString()).toBe('2026-03-02T17:00:00.000Z');
    // Act
    await fixture.create('early', { ScheduleExpression: 'at(2026-03-02T12:00:00)' });
    const afterCreate = fixture.emulator.nextDueAt()?.toISOString();
    await fixture.remove('early');
    const afterDelete = fixture.emulator.nextDueAt()?.toISOString();
    // Assess
    expect(afterCreate).toBe('2026-03-02T11:00:00.000Z');
    expect(afterDelete).toBe('2026-03-02T17:00:00.000Z');
    await fixture.close();
  });
});
