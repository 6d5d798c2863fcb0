import { describe, expect, it } from 'vitest';
import { InvalidCronError, matchesDay, parseCron } from '../../../functions/adapters/local/scheduler-emulator/cron-expression.js';
import { InvalidScheduleExpressionError, parseScheduleExpression } from '../../../functions/adapters/local/scheduler-emulator/schedule-expression.js';

function matchingDays(fields: string, year: number, month: number): number[] {
  const { day } = parseCron(fields);
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Array.from({ length }, (_, i) => i + 1).filter((d) => matchesDay(day, year, month, d));
}

describe('the EventBridge six-field cron parser', () => {
  it('minutes and hours expand lists, ranges and increments into sorted values', () => {
    // Act
    const spec = parseCron('0/20,5 8-10 * * ? *');
    // Assess
    expect(spec.minutes).toEqual([0, 5, 20, 40]);
    expect(spec.hours).toEqual([8, 9, 10]);
  });

  it('month and weekday names are understood, and a weekday range may wrap over the week end', () => {
    // Act
    const spec = parseCron('0 12 ? JAN,MAR-APR FRI-MON *');
    // Assess
    expect([...spec.months].sort((a, b) => a - b)).toEqual([1, 3, 4]);
    // March 2026: Fridays 6, 13, 20, 27; Saturdays 7, …; Sundays 1, 8, …; Mondays 2, 9, …
    expect(matchingDays('0 12 ? * FRI-MON *', 2026, 3).slice(0, 6)).toEqual([1, 2, 6, 7, 8, 9]);
  });

  it('L is the last day of the month, also in February', () => {
    // Assess
    expect(matchingDays('0 0 L * ? *', 2026, 2)).toEqual([28]);
    expect(matchingDays('0 0 L * ? *', 2028, 2)).toEqual([29]);
  });

  it('nW is the weekday nearest to day n, and LW the last weekday of the month', () => {
    // Assess: 1 Aug 2026 is a Saturday, so 1W is Monday 3rd; 31 Oct 2026 is a Saturday, so LW is Friday 30th
    expect(matchingDays('0 0 1W * ? *', 2026, 8)).toEqual([3]);
    expect(matchingDays('0 0 15W * ? *', 2026, 3)).toEqual([16]);
    expect(matchingDays('0 0 LW * ? *', 2026, 10)).toEqual([30]);
  });

  it('nL is the last such weekday and n#k the k-th one of the month', () => {
    // Assess: March 2026 Fridays are 6, 13, 20, 27; Sundays 1, 8, 15, 22, 29
    expect(matchingDays('0 0 ? * 6L *', 2026, 3)).toEqual([27]);
    expect(matchingDays('0 0 ? * SUN#2 *', 2026, 3)).toEqual([8]);
    expect(matchingDays('0 0 ? * 1L *', 2026, 3)).toEqual([29]);
  });

  it('an expression with both day fields set or both ? is refused', () => {
    // Assess
    expect(() => parseCron('0 12 * * * *')).toThrow(InvalidCronError);
    expect(() => parseCron('0 12 ? * ? *')).toThrow(/exactly one of day-of-month and day-of-week/);
  });

  it('out-of-range values, bad increments and a wrong field count are refused with the field named', () => {
    // Assess
    expect(() => parseCron('60 12 * * ? *')).toThrow(/'60' is not a valid minutes/);
    expect(() => parseCron('0 24 * * ? *')).toThrow(/hours/);
    expect(() => parseCron('0 12 * 13 ? *')).toThrow(/month/);
    expect(() => parseCron('0 12 ? * 8 *')).toThrow(/day-of-week/);
    expect(() => parseCron('0/0 12 * * ? *')).toThrow(/increment/);
    expect(() => parseCron('0 12 * * ?')).toThrow(/6 fields/);
  });
});

describe('schedule expressions', () => {
  it('at(), rate() and cron() are told apart and read', () => {
    // Assess
    expect(parseScheduleExpression('at(2026-03-29T02:30:00)')).toEqual({
      kind: 'at',
      at: { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 },
    });
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate', intervalMs: 60_000 });
    expect(parseScheduleExpression('rate(3 days)')).toEqual({ kind: 'rate', intervalMs: 3 * 86_400_000 });
    expect(parseScheduleExpression('cron(0 8 * * ? *)').kind).toBe('cron');
  });

  it('malformed expressions are refused with the expression in the message', () => {
    // Assess
    expect(() => parseScheduleExpression('at(2026-02-30T10:00:00)')).toThrow(InvalidScheduleExpressionError);
    expect(() => parseScheduleExpression('at(2026-03-02 10:00)')).toThrow(/at\(2026-03-02 10:00\)/);
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(InvalidScheduleExpressionError);
    expect(() => parseScheduleExpression('rate(5 weeks)')).toThrow(InvalidScheduleExpressionError);
    expect(() => parseScheduleExpression('every 5 minutes')).toThrow(InvalidScheduleExpressionError);
  });
});
