import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorFixture } from './emulator-fixture.js';

describe('one-time at() schedules in the scheduler emulator', () => {
  let fixture: EmulatorFixture;

  beforeEach(async () => {
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
  });

  afterEach(async () => {
    await fixture.close();
  });

  it('an at() schedule fires once, at the UTC instant of its Europe/Warsaw wall time, in winter and in summer', async () => {
    // Prepare
    await fixture.create('winter', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.create('summer', { ScheduleExpression: 'at(2026-07-01T10:00:00)' });
    // Act
    await fixture.advanceTo('2026-12-31T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('winter')).toEqual(['2026-03-02T09:00:00.000Z']);
    expect(fixture.firedAt('summer')).toEqual(['2026-07-01T08:00:00.000Z']);
  });

  it('the target receives the schedule input verbatim', async () => {
    // Prepare
    const input = JSON.stringify({ codeUnit: 'process-upo', entryId: 'e-1', trigger: 'schedule', scheduledFor: '2026-03-02T09:00:00.000Z' });
    await fixture.create('with-input', { ScheduleExpression: 'at(2026-03-02T10:00:00)', Target: { Arn: 'ignored', RoleArn: 'ignored', Input: input } });
    // Act
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(fixture.fired.map((fired) => fired.input)).toEqual([input]);
  });

  it('an at() schedule is not fired before its minute', async () => {
    // Prepare
    await fixture.create('later', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    // Act
    await fixture.advanceTo('2026-03-02T08:59:59.999Z');
    // Assess
    expect(fixture.fired).toEqual([]);
    expect(fixture.emulator.nextDueAt()?.toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });

  it('with ActionAfterCompletion NONE a fired at() schedule remains and does not fire again', async () => {
    // Prepare
    await fixture.create('kept', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.advanceTo('2026-03-02T09:30:00.000Z');
    // Act
    await fixture.advanceTo('2026-03-05T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('kept')).toHaveLength(1);
    expect(await fixture.exists('kept')).toBe(true);
    expect(fixture.emulator.nextDueAt()).toBeUndefined();
  });

  it('with ActionAfterCompletion DELETE a fired at() schedule is deleted', async () => {
    // Prepare
    await fixture.create('gone', { ScheduleExpression: 'at(2026-03-02T10:00:00)', ActionAfterCompletion: 'DELETE' });
    // Act
    await fixture.advanceTo('2026-03-02T12:00:00.000Z');
    // Assess
    expect(fixture.firedAt('gone')).toHaveLength(1);
    expect(await fixture.exists('gone')).toBe(false);
  });

  it('a disabled schedule never fires', async () => {
    // Prepare
    await fixture.create('off', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'DISABLED' });
    await fixture.create('off-cron', { ScheduleExpression: 'cron(* * * * ? *)', State: 'DISABLED' });
    // Act
    await fixture.advanceTo('2026-03-09T00:00:00.000Z');
    // Assess
    expect(fixture.fired).toEqual([]);
  });

  it('updating a schedule moves its fire time', async () => {
    // Prepare
    await fixture.create('moved', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    // Act
    await fixture.update('moved', { ScheduleExpression: 'at(2026-03-02T14:30:00)' });
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('moved')).toEqual(['2026-03-02T13:30:00.000Z']);
  });

  it('a fired schedule updated to its next run fires again at that run', async () => {
    // Prepare
    await fixture.create('next', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.advanceTo('2026-03-02T09:05:00.000Z');
    // Act
    await fixture.update('next', { ScheduleExpression: 'at(2026-03-03T10:00:00)' });
    await fixture.advanceTo('2026-03-04T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('next')).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z']);
  });

  it('re-stating the slot that just fired does not fire it twice', async () => {
    // Prepare
    await fixture.create('same', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.advanceTo('2026-03-02T09:00:20.000Z');
    // Act
    await fixture.update('same', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'ENABLED' });
    await fixture.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(fixture.firedAt('same')).toHaveLength(1);
  });

  it('disabling a schedule before its time stops it, and enabling it again before its time restores it', async () => {
    // Prepare
    await fixture.create('paused', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.create('resumed', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    // Act
    await fixture.update('paused', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'DISABLED' });
    await fixture.update('resumed', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'DISABLED' });
    await fixture.update('resumed', { ScheduleExpression: 'at(2026-03-02T10:00:00)', State: 'ENABLED' });
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('paused')).toEqual([]);
    expect(fixture.firedAt('resumed')).toEqual(['2026-03-02T09:00:00.000Z']);
  });

  it('deleting a schedule stops it', async () => {
    // Prepare
    await fixture.create('deleted', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    // Act
    await fixture.remove('deleted');
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.fired).toEqual([]);
  });

  it('an at() time within the current minute fires at once, one already past by more than a minute never fires', async () => {
    // Prepare
    fixture.clock.set(new Date('2026-03-02T09:00:40.000Z'));
    // Act
    await fixture.create('this-minute', { ScheduleExpression: 'at(2026-03-02T10:00:00)' });
    await fixture.create('long-past', { ScheduleExpression: 'at(2026-03-02T08:30:00)', ScheduleExpressionTimezone: 'UTC' });
    await fixture.emulator.runDue();
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('this-minute')).toEqual(['2026-03-02T09:00:40.000Z']);
    expect(fixture.firedAt('long-past')).toEqual([]);
  });

  it('an at() schedule ignores StartDate and EndDate, as AWS does for one-time schedules', async () => {
    // Prepare
    await fixture.create('bounded', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      StartDate: new Date('2026-04-01T00:00:00.000Z'),
      EndDate: new Date('2026-05-01T00:00:00.000Z'),
    });
    // Act
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('bounded')).toEqual(['2026-03-02T09:00:00.000Z']);
  });
});
