import { describe, expect, it } from 'vitest';
import type { Recurrence, Weekday } from '../../../functions/domain/job-queue-entry.js';
import {
  DISABLED_SCHEDULE_PLACEHOLDER,
  atExpression,
  computeInitialRun,
  computeNextRun,
  desiredSchedule,
  isWithinWindow,
  previewRuns,
  type RecurrenceSettings,
} from '../../../functions/domain/schedule.js';
import { makeEntry } from '../../helpers/entry-factory.js';

const ALL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WARSAW = 'Europe/Warsaw';

function settings(recurrence: Partial<Recurrence> = {}, rest: Partial<RecurrenceSettings> = {}): RecurrenceSettings {
  return {
    recurrence: { minutesBetweenRuns: 1440, runOnWeekdays: ALL_DAYS, startingTime: null, endingTime: null, ...recurrence },
    earliestStartAt: null,
    expiresAt: null,
    timeZone: WARSAW,
    ...rest,
  };
}

/** An instant written as local time with its offset, e.g. at('2026-03-29T03:00+02:00'). */
function at(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`bad fixture ${iso}`);
  return date;
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

describe('computeNextRun: interval', () => {
  it('a daily entry without a window runs again 24 hours after the run ended', () => {
    // Prepare / Act
    const next = computeNextRun(settings(), at('2026-01-14T10:17:00+01:00'));
    // Assess
    expect(iso(next)).toBe('2026-01-15T09:17:00.000Z');
  });

  it('the interval is measured from the minute the run ended in, so runs drift by their own duration in whole minutes', () => {
    const next = computeNextRun(settings({ minutesBetweenRuns: 90 }), at('2026-01-14T10:03:20+01:00'));
    expect(iso(next)).toBe('2026-01-14T10:33:00.000Z');
  });

  it('a run that ends a few seconds into its slot keeps the interval: a 3-minute entry runs every 3 minutes', () => {
    const next = computeNextRun(settings({ minutesBetweenRuns: 3 }), at('2026-01-14T23:07:00.034+01:00'));
    expect(iso(next)).toBe(iso(at('2026-01-14T23:10+01:00')));
  });

  it('a daily entry without a starting time does not creep by the seconds its runs take', () => {
    const next = computeNextRun(settings(), at('2026-01-14T03:00:41.5+01:00'));
    expect(iso(next)).toBe(iso(at('2026-01-15T03:00+01:00')));
  });

  it('a 7-day interval keeps the wall-clock time a week later', () => {
    const next = computeNextRun(settings({ minutesBetweenRuns: 10080 }), at('2026-01-14T06:00+01:00'));
    expect(iso(next)).toBe(iso(at('2026-01-21T06:00+01:00')));
  });

  it('a daily entry with a starting time returns to its starting time however long the run took', () => {
    const daily = settings({ startingTime: '02:30' });
    expect(iso(computeNextRun(daily, at('2026-01-14T02:47:12+01:00')))).toBe(iso(at('2026-01-15T02:30+01:00')));
  });

  it('a daily entry set Ready in the middle of its window moves to its starting time from the next day on', () => {
    const daily = settings({ startingTime: '06:00', endingTime: '20:00' });
    const runs = previewRuns(daily, at('2026-01-14T10:00+01:00'), 3).map(iso);
    expect(runs).toEqual([iso(at('2026-01-14T10:00+01:00')), iso(at('2026-01-15T06:00+01:00')), iso(at('2026-01-16T06:00+01:00'))]);
  });

  it('a daily run after midnight in a wrapping window counts for the day the window opened', () => {
    const nightly = settings({ startingTime: '23:30', endingTime: '01:00' });
    expect(iso(computeNextRun(nightly, at('2026-01-14T00:20+01:00')))).toBe(iso(at('2026-01-14T23:30+01:00')));
  });

  it('a 2-day interval with a starting time skips one day', () => {
    const everyOtherDay = settings({ minutesBetweenRuns: 2880, startingTime: '05:00' });
    expect(iso(computeNextRun(everyOtherDay, at('2026-01-14T05:01+01:00')))).toBe(iso(at('2026-01-16T05:00+01:00')));
  });

  it('a 1-minute entry runs in the next minute, whatever part of its minute the run took', () => {
    const next = computeNextRun(settings({ minutesBetweenRuns: 1 }), at('2026-06-01T12:00:30+02:00'));
    expect(iso(next)).toBe(iso(at('2026-06-01T12:01+02:00')));
  });
});

describe('computeNextRun: daily window', () => {
  const window = { minutesBetweenRuns: 60, startingTime: '08:00', endingTime: '16:00' };

  it('a candidate inside the window is kept', () => {
    expect(iso(computeNextRun(settings(window), at('2026-01-14T09:30+01:00')))).toBe(iso(at('2026-01-14T10:30+01:00')));
  });

  it('a candidate before the starting time moves to the starting time of the same day', () => {
    expect(iso(computeNextRun(settings(window), at('2026-01-14T06:10+01:00')))).toBe(iso(at('2026-01-14T08:00+01:00')));
  });

  it('a candidate at the ending time moves to the next day because the window end is exclusive', () => {
    expect(iso(computeNextRun(settings(window), at('2026-01-14T15:00+01:00')))).toBe(iso(at('2026-01-15T08:00+01:00')));
  });

  it('a candidate past the ending time moves to the next day starting time', () => {
    expect(iso(computeNextRun(settings(window), at('2026-01-14T15:45+01:00')))).toBe(iso(at('2026-01-15T08:00+01:00')));
  });

  it('only a starting time means the window runs until midnight', () => {
    const open = settings({ minutesBetweenRuns: 60, startingTime: '20:00' });
    expect(iso(computeNextRun(open, at('2026-01-14T22:30+01:00')))).toBe(iso(at('2026-01-14T23:30+01:00')));
    expect(iso(computeNextRun(open, at('2026-01-14T23:30+01:00')))).toBe(iso(at('2026-01-15T20:00+01:00')));
  });

  it('only an ending time means the window starts at midnight', () => {
    const early = settings({ minutesBetweenRuns: 60, endingTime: '06:00' });
    expect(iso(computeNextRun(early, at('2026-01-14T04:30+01:00')))).toBe(iso(at('2026-01-14T05:30+01:00')));
    expect(iso(computeNextRun(early, at('2026-01-14T05:30+01:00')))).toBe(iso(at('2026-01-15T00:00+01:00')));
  });

  describe('a window from 22:00 to 02:00 that wraps midnight', () => {
    const night = settings({ minutesBetweenRuns: 60, startingTime: '22:00', endingTime: '02:00' });

    it('keeps a candidate before midnight', () => {
      expect(iso(computeNextRun(night, at('2026-01-14T22:10+01:00')))).toBe(iso(at('2026-01-14T23:10+01:00')));
    });

    it('keeps a candidate after midnight inside the wrapped part', () => {
      expect(iso(computeNextRun(night, at('2026-01-14T23:50+01:00')))).toBe(iso(at('2026-01-15T00:50+01:00')));
    });

    it('moves a candidate past 02:00 to 22:00 of the same day', () => {
      expect(iso(computeNextRun(night, at('2026-01-15T01:30+01:00')))).toBe(iso(at('2026-01-15T22:00+01:00')));
    });
  });

  it('a wrapped slot after midnight belongs to the weekday on which the window opened', () => {
    // Prepare: Monday-only night window; 2026-01-12 is a Monday.
    const mondayNight = settings({ minutesBetweenRuns: 60, startingTime: '23:00', endingTime: '02:00', runOnWeekdays: ['mon'] });
    // Act / Assess: Tuesday 00:30 is Monday's window; Monday 00:30 is Sunday's, so it waits for Monday 23:00.
    expect(iso(computeNextRun(mondayNight, at('2026-01-12T23:30+01:00')))).toBe(iso(at('2026-01-13T00:30+01:00')));
    expect(iso(computeNextRun(mondayNight, at('2026-01-11T23:30+01:00')))).toBe(iso(at('2026-01-12T23:00+01:00')));
  });
});

describe('computeNextRun: weekdays', () => {
  it('a working-days entry that finishes on Friday evening runs next on Monday morning', () => {
    // 2026-01-16 is a Friday.
    const workdays = settings({ minutesBetweenRuns: 60, startingTime: '07:00', endingTime: '18:00', runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(iso(computeNextRun(workdays, at('2026-01-16T17:30+01:00')))).toBe(iso(at('2026-01-19T07:00+01:00')));
  });

  it('a daily entry allowed on Saturday only skips the other days', () => {
    const saturdays = settings({ runOnWeekdays: ['sat'] });
    expect(iso(computeNextRun(saturdays, at('2026-01-17T05:00+01:00')))).toBe(iso(at('2026-01-24T00:00+01:00')));
  });

  it('an entry whose only weekday is today but whose window has passed waits a full week', () => {
    // 2026-01-14 is a Wednesday.
    const wednesdays = settings({ minutesBetweenRuns: 30, startingTime: '09:00', endingTime: '10:00', runOnWeekdays: ['wed'] });
    expect(iso(computeNextRun(wednesdays, at('2026-01-14T09:45+01:00')))).toBe(iso(at('2026-01-21T09:00+01:00')));
  });

  it('an entry with no weekdays never runs', () => {
    expect(computeNextRun(settings({ runOnWeekdays: [] }), at('2026-01-14T09:45+01:00'))).toBeNull();
  });
});

describe('computeNextRun: earliest start and expiry', () => {
  it('a run is never planned before the earliest start', () => {
    const later = settings({ minutesBetweenRuns: 60 }, { earliestStartAt: '2026-02-01T09:15:00.000Z' });
    expect(iso(computeNextRun(later, at('2026-01-14T09:00+01:00')))).toBe('2026-02-01T09:15:00.000Z');
  });

  it('the earliest start is pushed into the window as well', () => {
    const later = settings({ minutesBetweenRuns: 60, startingTime: '12:00', endingTime: '13:00' }, { earliestStartAt: '2026-02-01T15:00:00.000Z' });
    expect(iso(computeNextRun(later, at('2026-01-14T09:00+01:00')))).toBe(iso(at('2026-02-02T12:00+01:00')));
  });

  it('no run is planned after the expiry', () => {
    const expiring = settings({ minutesBetweenRuns: 60 }, { expiresAt: '2026-01-14T09:30:00.000Z' });
    expect(computeNextRun(expiring, at('2026-01-14T09:45+01:00'))).toBeNull();
  });

  it('a run exactly at the expiry is still planned', () => {
    const expiring = settings({ minutesBetweenRuns: 60 }, { expiresAt: '2026-01-14T09:45:00.000Z' });
    expect(iso(computeNextRun(expiring, at('2026-01-14T09:45+01:00')))).toBe('2026-01-14T09:45:00.000Z');
  });

  it('a window that pushes the run past the expiry means no run', () => {
    const expiring = settings({ minutesBetweenRuns: 60, startingTime: '08:00', endingTime: '09:00' }, { expiresAt: '2026-01-15T06:00:00.000Z' });
    expect(computeNextRun(expiring, at('2026-01-14T08:30+01:00'))).toBeNull();
  });
});

describe('computeInitialRun', () => {
  it('an entry set Ready inside its window runs at the next whole minute, when its schedule can fire', () => {
    expect(iso(computeInitialRun(settings(), at('2026-01-14T10:00:05+01:00')))).toBe(iso(at('2026-01-14T10:01+01:00')));
    expect(iso(computeInitialRun(settings(), at('2026-01-14T10:00+01:00')))).toBe(iso(at('2026-01-14T10:00+01:00')));
  });

  it('an entry set Ready before its window runs at the window start', () => {
    expect(iso(computeInitialRun(settings({ startingTime: '02:30', endingTime: '04:00' }), at('2026-01-14T10:00+01:00')))).toBe(iso(at('2026-01-15T02:30+01:00')));
  });

  it('an entry set Ready before its earliest start waits for it', () => {
    const later = settings({}, { earliestStartAt: '2026-01-20T07:00:00.000Z' });
    expect(iso(computeInitialRun(later, at('2026-01-14T10:00+01:00')))).toBe('2026-01-20T07:00:00.000Z');
  });

  it('an entry set Ready after its earliest start runs now', () => {
    const earlier = settings({}, { earliestStartAt: '2026-01-01T07:00:00.000Z' });
    expect(iso(computeInitialRun(earlier, at('2026-01-14T10:00+01:00')))).toBe(iso(at('2026-01-14T10:00+01:00')));
  });

  it('an expired entry has no initial run', () => {
    expect(computeInitialRun(settings({}, { expiresAt: '2026-01-01T00:00:00.000Z' }), at('2026-01-14T10:00+01:00'))).toBeNull();
  });

  it('an unknown time zone is refused', () => {
    expect(() => computeInitialRun(settings({}, { timeZone: 'Europe/Atlantis' }), at('2026-01-14T10:00+01:00'))).toThrow(/time zone/);
  });
});

describe('previewRuns', () => {
  it('lists the next five run times for the entry card', () => {
    const hourlyMornings = settings({ minutesBetweenRuns: 120, startingTime: '06:00', endingTime: '11:00' });
    const runs = previewRuns(hourlyMornings, at('2026-01-14T09:30+01:00'), 5).map(iso);
    expect(runs).toEqual([
      iso(at('2026-01-14T09:30+01:00')),
      iso(at('2026-01-15T06:00+01:00')),
      iso(at('2026-01-15T08:00+01:00')),
      iso(at('2026-01-15T10:00+01:00')),
      iso(at('2026-01-16T06:00+01:00')),
    ]);
  });

  it('stops at the expiry', () => {
    const expiring = settings({}, { expiresAt: '2026-01-16T12:00:00.000Z' });
    expect(previewRuns(expiring, at('2026-01-14T10:00+01:00'), 5)).toHaveLength(3);
  });

  it('asking for no runs gives none', () => {
    expect(previewRuns(settings(), at('2026-01-14T10:00+01:00'), 0)).toEqual([]);
  });
});

describe('isWithinWindow', () => {
  const night: Recurrence = { minutesBetweenRuns: 60, runOnWeekdays: ['mon'], startingTime: '22:00', endingTime: '02:00' };

  it('is true inside the window on an allowed weekday, also after midnight', () => {
    expect(isWithinWindow(night, WARSAW, at('2026-01-12T22:00+01:00'))).toBe(true);
    expect(isWithinWindow(night, WARSAW, at('2026-01-13T01:59+01:00'))).toBe(true);
  });

  it('is false at the window end, outside the window and on a day that is not allowed', () => {
    expect(isWithinWindow(night, WARSAW, at('2026-01-13T02:00+01:00'))).toBe(false);
    expect(isWithinWindow(night, WARSAW, at('2026-01-12T12:00+01:00'))).toBe(false);
    expect(isWithinWindow(night, WARSAW, at('2026-01-13T22:30+01:00'))).toBe(false);
  });

  it('is read in the time zone, not in UTC', () => {
    // 21:30 UTC is 22:30 in Warsaw in winter.
    expect(isWithinWindow(night, WARSAW, at('2026-01-12T21:30:00Z'))).toBe(true);
    expect(isWithinWindow(night, 'UTC', at('2026-01-12T21:30:00Z'))).toBe(false);
  });
});

/*
 * Daylight-saving changes in Europe/Warsaw: spring forward on the last Sunday of March
 * (02:00 CET → 03:00 CEST), fall back on the last Sunday of October (03:00 CEST → 02:00 CET).
 */
const SPRING = [
  { year: 2026, before: '2026-03-28', day: '2026-03-29', after: '2026-03-30' },
  { year: 2027, before: '2027-03-27', day: '2027-03-28', after: '2027-03-29' },
];
const AUTUMN = [
  { year: 2026, before: '2026-10-24', day: '2026-10-25', after: '2026-10-26' },
  { year: 2027, before: '2027-10-30', day: '2027-10-31', after: '2027-11-01' },
];

describe.each(SPRING)('spring-forward day $day', ({ before, day, after }) => {
  it('a daily 02:30 entry runs at 03:00 CEST, the first instant after the gap, and at 02:30 again the next day', () => {
    const daily = settings({ startingTime: '02:30' });
    const runs = previewRuns(daily, at(`${before}T02:30+01:00`), 3).map(iso);
    expect(runs).toEqual([iso(at(`${before}T02:30+01:00`)), iso(at(`${day}T03:00+02:00`)), iso(at(`${after}T02:30+02:00`))]);
  });

  it('a daily 03:00 entry stays at 03:00 local time, 23 real hours later', () => {
    const daily = settings({ startingTime: '03:00' });
    const next = computeNextRun(daily, at(`${before}T03:00+01:00`));
    expect(iso(next)).toBe(iso(at(`${day}T03:00+02:00`)));
    expect(next!.getTime() - at(`${before}T03:00+01:00`).getTime()).toBe(23 * 3_600_000);
    expect(iso(computeNextRun(daily, next!))).toBe(iso(at(`${after}T03:00+02:00`)));
  });

  it('an hourly entry waits 60 real minutes across the gap', () => {
    const hourly = settings({ minutesBetweenRuns: 60 });
    expect(iso(computeNextRun(hourly, at(`${day}T01:30+01:00`)))).toBe(iso(at(`${day}T03:30+02:00`)));
  });

  it('a 1-minute entry goes from 01:59 CET straight to 03:00 CEST', () => {
    const everyMinute = settings({ minutesBetweenRuns: 1 });
    const runs = previewRuns(everyMinute, at(`${day}T01:58+01:00`), 3).map(iso);
    expect(runs).toEqual([iso(at(`${day}T01:58+01:00`)), iso(at(`${day}T01:59+01:00`)), iso(at(`${day}T03:00+02:00`))]);
  });

  it('an entry set Ready before a window that starts inside the gap runs at 03:00 CEST', () => {
    const window = settings({ minutesBetweenRuns: 60, startingTime: '02:30', endingTime: '05:00' });
    expect(iso(computeInitialRun(window, at(`${day}T01:10+01:00`)))).toBe(iso(at(`${day}T03:00+02:00`)));
  });

  it('a window that lies entirely inside the gap still opens once, after the gap', () => {
    const swallowed = settings({ minutesBetweenRuns: 15, startingTime: '02:00', endingTime: '02:30' });
    const runs = previewRuns(swallowed, at(`${before}T12:00+01:00`), 4).map(iso);
    expect(runs).toEqual([
      iso(at(`${day}T03:00+02:00`)),
      iso(at(`${day}T03:15+02:00`)),
      iso(at(`${after}T02:00+02:00`)),
      iso(at(`${after}T02:15+02:00`)),
    ]);
  });

  it('02:30 on the change day is not inside a window that ends at 02:30', () => {
    const window: Recurrence = { minutesBetweenRuns: 60, runOnWeekdays: ALL_DAYS, startingTime: '01:00', endingTime: '02:30' };
    expect(isWithinWindow(window, WARSAW, at(`${day}T01:59+01:00`))).toBe(true);
    expect(isWithinWindow(window, WARSAW, at(`${day}T03:00+02:00`))).toBe(false);
  });
});

describe.each(AUTUMN)('fall-back day $day', ({ before, day, after }) => {
  it('a daily 02:30 entry runs once, at the earlier 02:30 (CEST), and at 02:30 CET the day after', () => {
    const daily = settings({ startingTime: '02:30' });
    const runs = previewRuns(daily, at(`${before}T02:30+02:00`), 3).map(iso);
    expect(runs).toEqual([iso(at(`${before}T02:30+02:00`)), iso(at(`${day}T02:30+02:00`)), iso(at(`${after}T02:30+01:00`))]);
  });

  it('a daily 03:00 entry stays at 03:00 local time, 25 real hours later', () => {
    const daily = settings({ startingTime: '03:00' });
    const next = computeNextRun(daily, at(`${before}T03:00+02:00`));
    expect(iso(next)).toBe(iso(at(`${day}T03:00+01:00`)));
    expect(next!.getTime() - at(`${before}T03:00+02:00`).getTime()).toBe(25 * 3_600_000);
  });

  it('an hourly entry runs in both passes of the repeated hour, 60 real minutes apart', () => {
    const hourly = settings({ minutesBetweenRuns: 60 });
    const runs = previewRuns(hourly, at(`${day}T01:30+02:00`), 4).map(iso);
    expect(runs).toEqual([
      iso(at(`${day}T01:30+02:00`)),
      iso(at(`${day}T02:30+02:00`)),
      iso(at(`${day}T02:30+01:00`)),
      iso(at(`${day}T03:30+01:00`)),
    ]);
  });

  it('a 1-minute entry goes from 02:59 CEST to 02:00 CET', () => {
    const everyMinute = settings({ minutesBetweenRuns: 1 });
    expect(iso(computeNextRun(everyMinute, at(`${day}T02:59+02:00`)))).toBe(iso(at(`${day}T02:00+01:00`)));
  });

  it('a window inside the repeated hour is open only during its first pass', () => {
    const window = settings({ minutesBetweenRuns: 15, startingTime: '02:00', endingTime: '02:45' });
    const runs = previewRuns(window, at(`${day}T02:00+02:00`), 4).map(iso);
    expect(runs).toEqual([
      iso(at(`${day}T02:00+02:00`)),
      iso(at(`${day}T02:15+02:00`)),
      iso(at(`${day}T02:30+02:00`)),
      iso(at(`${after}T02:00+01:00`)),
    ]);
  });

  it('an entry set Ready before a window that starts in the repeated hour runs at its earlier occurrence', () => {
    const window = settings({ minutesBetweenRuns: 60, startingTime: '02:30', endingTime: '05:00' });
    expect(iso(computeInitialRun(window, at(`${day}T01:10+02:00`)))).toBe(iso(at(`${day}T02:30+02:00`)));
  });
});

describe('atExpression', () => {
  it('writes a winter instant as Warsaw wall time', () => {
    expect(atExpression(at('2026-01-15T09:00:00Z'), WARSAW)).toEqual({ expression: 'at(2026-01-15T10:00:00)', timeZone: WARSAW });
  });

  it('writes a summer instant as Warsaw wall time', () => {
    expect(atExpression(at('2026-07-01T10:00:00Z'), WARSAW)).toEqual({ expression: 'at(2026-07-01T12:00:00)', timeZone: WARSAW });
  });

  it('rounds up to the next whole minute so that the schedule never fires early', () => {
    expect(atExpression(at('2026-01-15T09:00:00.001Z'), WARSAW).expression).toBe('at(2026-01-15T10:01:00)');
    expect(atExpression(at('2026-01-15T09:00:59Z'), WARSAW).expression).toBe('at(2026-01-15T10:01:00)');
  });

  it('crossing midnight and the year end while rounding up is written correctly', () => {
    expect(atExpression(at('2026-12-31T22:59:30Z'), WARSAW).expression).toBe('at(2027-01-01T00:00:00)');
  });

  it('writes the first instant after the spring-forward gap as 03:00 local time', () => {
    expect(atExpression(at('2026-03-29T01:00:00Z'), WARSAW)).toEqual({ expression: 'at(2026-03-29T03:00:00)', timeZone: WARSAW });
  });

  it('an instant just before the gap rounds up to 03:00 CEST, not into the gap', () => {
    expect(atExpression(at('2026-03-29T00:59:30Z'), WARSAW)).toEqual({ expression: 'at(2026-03-29T03:00:00)', timeZone: WARSAW });
  });

  it('writes both passes of the repeated hour in UTC because their wall time is ambiguous', () => {
    expect(atExpression(at('2026-10-25T00:30:00Z'), WARSAW)).toEqual({ expression: 'at(2026-10-25T00:30:00)', timeZone: 'UTC' });
    expect(atExpression(at('2026-10-25T01:30:00Z'), WARSAW)).toEqual({ expression: 'at(2026-10-25T01:30:00)', timeZone: 'UTC' });
  });

  it('writes the first instant after the repeated hour as local time again', () => {
    expect(atExpression(at('2026-10-25T02:00:00Z'), WARSAW)).toEqual({ expression: 'at(2026-10-25T03:00:00)', timeZone: WARSAW });
  });
});

describe('desiredSchedule', () => {
  const nextRunAt = '2026-01-15T09:00:00.000Z';

  it('a Ready entry with a next run has an enabled schedule for that run', () => {
    const entry = makeEntry({ status: 'Ready', nextRunAt });
    expect(desiredSchedule(entry)).toEqual({
      codeUnit: 'send-documents',
      state: 'ENABLED',
      expression: 'at(2026-01-15T10:00:00)',
      timeZone: WARSAW,
      input: { codeUnit: 'send-documents', entryId: entry.id, trigger: 'schedule', scheduledFor: nextRunAt },
    });
  });

  it('an InProcess entry keeps its schedule enabled because the run is a lease on a Ready entry', () => {
    expect(desiredSchedule(makeEntry({ status: 'InProcess', nextRunAt })).state).toBe('ENABLED');
  });

  it('a retry is delivered with the retry trigger', () => {
    expect(desiredSchedule(makeEntry({ status: 'Ready', nextRunAt, nextRunTrigger: 'retry' })).input.trigger).toBe('retry');
  });

  it.each(['OnHold', 'Error'] as const)('a %s entry has a disabled schedule', (status) => {
    expect(desiredSchedule(makeEntry({ status, nextRunAt })).state).toBe('DISABLED');
  });

  it('a Ready entry without a next run (expired) has a disabled schedule on the far-future placeholder', () => {
    const schedule = desiredSchedule(makeEntry({ status: 'Ready', nextRunAt: null }));
    expect(schedule.state).toBe('DISABLED');
    expect(schedule).toMatchObject({ expression: 'at(2099-12-31T23:59:00)', timeZone: 'UTC' });
    expect(schedule.input.scheduledFor).toBe(DISABLED_SCHEDULE_PLACEHOLDER);
  });

  it('a next run in the repeated hour is scheduled in UTC', () => {
    const schedule = desiredSchedule(makeEntry({ status: 'Ready', nextRunAt: '2026-10-25T00:30:00.000Z' }));
    expect(schedule).toMatchObject({ expression: 'at(2026-10-25T00:30:00)', timeZone: 'UTC', state: 'ENABLED' });
  });
});
