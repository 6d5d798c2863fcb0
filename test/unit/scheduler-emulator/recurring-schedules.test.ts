import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorFixture } from './emulator-fixture.js';

describe('recurring rate() and cron() schedules in the scheduler emulator', () => {
  let fixture: EmulatorFixture;

  afterEach(async () => {
    await fixture.close();
  });

  it('a rate() schedule without StartDate fires in the minute it is created and then every interval', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:30.000Z');
    await fixture.create('every-15', { ScheduleExpression: 'rate(15 minutes)' });
    // Act
    await fixture.advanceTo('2026-03-02T08:50:00.000Z');
    // Assess
    expect(fixture.firedAt('every-15')).toEqual([
      '2026-03-02T08:00:30.000Z',
      '2026-03-02T08:15:00.000Z',
      '2026-03-02T08:30:00.000Z',
      '2026-03-02T08:45:00.000Z',
    ]);
  });

  it('a rate() schedule with StartDate counts from it and stops before EndDate', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    await fixture.create('bounded', {
      ScheduleExpression: 'rate(2 hours)',
      StartDate: new Date('2026-03-02T09:10:00.000Z'),
      EndDate: new Date('2026-03-02T15:10:00.000Z'),
    });
    // Act
    await fixture.advanceTo('2026-03-03T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('bounded')).toEqual(['2026-03-02T09:10:00.000Z', '2026-03-02T11:10:00.000Z', '2026-03-02T13:10:00.000Z']);
  });

  it('a weekday cron in Europe/Warsaw fires at the local wall time on Monday to Friday only', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-06T00:00:00.000Z');
    await fixture.create('office-hours', { ScheduleExpression: 'cron(15 7 ? * MON-FRI *)' });
    // Act
    await fixture.advanceTo('2026-03-11T00:00:00.000Z');
    // Assess: Friday 6th, Monday 9th, Tuesday 10th at 07:15 CET = 06:15Z
    expect(fixture.firedAt('office-hours')).toEqual(['2026-03-06T06:15:00.000Z', '2026-03-09T06:15:00.000Z', '2026-03-10T06:15:00.000Z']);
  });

  it('a cron with increments, the last day of the month and a year fires exactly on those slots', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-01-30T00:00:00.000Z');
    await fixture.create('month-end', { ScheduleExpression: 'cron(0/30 23 L * ? 2026)', ScheduleExpressionTimezone: 'UTC' });
    // Act
    await fixture.advanceTo('2026-03-01T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('month-end')).toEqual([
      '2026-01-31T23:00:00.000Z',
      '2026-01-31T23:30:00.000Z',
      '2026-02-28T23:00:00.000Z',
      '2026-02-28T23:30:00.000Z',
    ]);
  });

  it('a cron that names the second Tuesday fires on it and nowhere else', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-01T00:00:00.000Z');
    await fixture.create('patch-day', { ScheduleExpression: 'cron(0 12 ? * TUE#2 *)' });
    // Act
    await fixture.advanceTo('2026-05-01T00:00:00.000Z');
    // Assess: 10 March (CET, UTC+1) and 14 April (CEST, UTC+2)
    expect(fixture.firedAt('patch-day')).toEqual(['2026-03-10T11:00:00.000Z', '2026-04-14T10:00:00.000Z']);
  });

  it('a recurring schedule stopped by an update no longer fires, and its slots while disabled are not made up', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    await fixture.create('hourly', { ScheduleExpression: 'cron(0 * * * ? *)', ScheduleExpressionTimezone: 'UTC' });
    await fixture.advanceTo('2026-03-02T10:30:00.000Z');
    // Act
    await fixture.update('hourly', { ScheduleExpression: 'cron(0 * * * ? *)', ScheduleExpressionTimezone: 'UTC', State: 'DISABLED' });
    await fixture.advanceTo('2026-03-02T13:30:00.000Z');
    await fixture.update('hourly', { ScheduleExpression: 'cron(0 * * * ? *)', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED' });
    await fixture.advanceTo('2026-03-02T14:30:00.000Z');
    // Assess
    expect(fixture.firedAt('hourly')).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T14:00:00.000Z',
    ]);
  });

  it('a schedule with a malformed expression is refused with a ValidationException naming the expression', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    // Act
    const created = fixture.create('bad', { ScheduleExpression: 'cron(0 12 * * * *)' });
    // Assess
    await expect(created).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(created).rejects.toThrow(/cron\(0 12 \* \* \* \*\).*exactly one of day-of-month and day-of-week/);
  });

  it('a schedule with an unknown time zone is refused', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    // Act
    const created = fixture.create('bad-zone', { ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'Europe/Atlantis' });
    // Assess
    await expect(created).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
