import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorFixture } from './emulator-fixture.js';

/*
 * Europe/Warsaw in 2026: clocks go forward on 29 March at 02:00 CET (to 03:00 CEST) and back on
 * 25 October at 03:00 CEST (to 02:00 CET). AWS: a slot in the gap is skipped, a slot in the
 * repeated hour runs once, and rate() counts elapsed time.
 */
describe('daylight-saving changes in the scheduler emulator (Europe/Warsaw, 2026)', () => {
  let fixture: EmulatorFixture;

  afterEach(async () => {
    await fixture.close();
  });

  it('a daily cron slot inside the spring-forward gap is skipped on 29 March and fires on the days around it', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-27T12:00:00.000Z');
    await fixture.create('half-past-two', { ScheduleExpression: 'cron(30 2 * * ? *)' });
    // Act
    await fixture.advanceTo('2026-03-31T12:00:00.000Z');
    // Assess
    expect(fixture.firedAt('half-past-two')).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-30T00:30:00.000Z', // 02:30 CEST; 29 March had no 02:30
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('an hourly cron skips the missing hour on 29 March and keeps the others', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-28T23:30:00.000Z');
    await fixture.create('hourly', { ScheduleExpression: 'cron(0 * * * ? *)' });
    // Act
    await fixture.advanceTo('2026-03-29T02:30:00.000Z');
    // Assess: local 01:00 CET, (02:00 does not exist), 03:00 CEST, 04:00 CEST
    expect(fixture.firedAt('hourly')).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
  });

  it('a daily cron slot inside the repeated hour fires once on 25 October, at its first occurrence', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-10-23T12:00:00.000Z');
    await fixture.create('half-past-two', { ScheduleExpression: 'cron(30 2 * * ? *)' });
    // Act
    await fixture.advanceTo('2026-10-26T12:00:00.000Z');
    // Assess
    expect(fixture.firedAt('half-past-two')).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST); the second (01:30Z, CET) does not fire
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('an hourly cron fires once for the repeated 02:00 on 25 October', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-10-24T22:30:00.000Z');
    await fixture.create('hourly', { ScheduleExpression: 'cron(0 * * * ? *)' });
    // Act
    await fixture.advanceTo('2026-10-25T03:30:00.000Z');
    // Assess: local 01:00 CEST, 02:00 CEST (not again at 02:00 CET), 03:00 CET, 04:00 CET
    expect(fixture.firedAt('hourly')).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('rate(1 day) counts 24 hours of elapsed time across the spring change, so the wall time moves by an hour', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-28T08:00:00.000Z');
    await fixture.create('daily', { ScheduleExpression: 'rate(1 day)', StartDate: new Date('2026-03-28T09:00:00.000Z') });
    // Act
    await fixture.advanceTo('2026-03-30T12:00:00.000Z');
    // Assess: 10:00 CET, then 11:00 CEST, 11:00 CEST
    expect(fixture.firedAt('daily')).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T09:00:00.000Z', '2026-03-30T09:00:00.000Z']);
  });

  it('an at() wall time in the spring-forward gap does not exist and never fires, while its UTC form does', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-03-28T12:00:00.000Z');
    await fixture.create('in-the-gap', { ScheduleExpression: 'at(2026-03-29T02:30:00)' });
    await fixture.create('as-utc', { ScheduleExpression: 'at(2026-03-29T01:30:00)', ScheduleExpressionTimezone: 'UTC' });
    // Act
    await fixture.advanceTo('2026-03-30T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('in-the-gap')).toEqual([]);
    expect(fixture.firedAt('as-utc')).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('an at() wall time in the repeated hour fires once, at its first occurrence', async () => {
    // Prepare
    fixture = await EmulatorFixture.start('2026-10-24T12:00:00.000Z');
    await fixture.create('ambiguous', { ScheduleExpression: 'at(2026-10-25T02:30:00)' });
    // Act
    await fixture.advanceTo('2026-10-26T00:00:00.000Z');
    // Assess
    expect(fixture.firedAt('ambiguous')).toEqual(['2026-10-25T00:30:00.000Z']);
  });
});
