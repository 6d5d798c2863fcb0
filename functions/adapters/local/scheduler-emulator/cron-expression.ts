/*
 * The six-field cron of EventBridge Scheduler: `minutes hours day-of-month month day-of-week year`.
 * Exactly one of day-of-month and day-of-week is `?`. Day-of-week counts 1 = SUN … 7 = SAT.
 * Supported: `*`, `?`, lists, ranges (also wrapping, e.g. FRI-MON), `/` increments, month and day
 * names, `L`, `LW`, `nW` in day-of-month, `nL` and `n#k` in day-of-week.
 * The libraries on npm speak the five- or seven-field Unix/Quartz dialects, not this one.
 */

import { KsefJobError } from '../../../domain/errors.js';

export class InvalidCronError extends KsefJobError {}

export type DayRule =
  | {
      readonly kind: 'dayOfMonth';
      readonly days: ReadonlySet<number>;
      readonly lastDay: boolean;
      readonly lastWeekday: boolean;
      readonly nearestWeekdayTo: readonly number[];
    }
  | {
      readonly kind: 'dayOfWeek';
      readonly weekdays: ReadonlySet<number>;
      /** `6L`: the last Friday of the month. */
      readonly lastOfMonth: readonly number[];
      /** `6#3`: the third Friday of the month. */
      readonly nth: readonly (readonly [weekday: number, nth: number])[];
    };

export interface CronSpec {
  /** Sorted ascending. */
  readonly minutes: readonly number[];
  /** Sorted ascending. */
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  readonly day: DayRule;
}

export const CRON_YEARS = { min: 1970, max: 2199 } as const;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTES: FieldRange = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldRange = { name: 'hours', min: 0, max: 23 };
const DAYS_OF_MONTH: FieldRange = { name: 'day-of-month', min: 1, max: 31 };
const MONTHS: FieldRange = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
const DAYS_OF_WEEK: FieldRange = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAY_NAMES };
const YEARS: FieldRange = { name: 'year', min: CRON_YEARS.min, max: CRON_YEARS.max };

/** Parses the inside of `cron(...)`. */
export function parseCron(fields: string): CronSpec {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new InvalidCronError(`a cron expression has 6 fields, got ${parts.length}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new InvalidCronError('exactly one of day-of-month and day-of-week must be ?');
  }
  return {
    minutes: [...parseField(minutes, MINUTES)].sort((a, b) => a - b),
    hours: [...parseField(hours, HOURS)].sort((a, b) => a - b),
    months: parseField(month, MONTHS),
    years: parseField(year, YEARS),
    day: dayOfWeek === '?' ? parseDayOfMonth(dayOfMonth) : parseDayOfWeek(dayOfWeek),
  };
}

/** Whether a calendar date (month 1–12, weekday 1 = SUN … 7 = SAT) matches the day fields. */
export function matchesDay(rule: DayRule, year: number, month: number, day: number): boolean {
  const length = daysInMonth(year, month);
  if (rule.kind === 'dayOfMonth') {
    if (rule.days.has(day) || (rule.lastDay && day === length)) return true;
    if (rule.lastWeekday && day === nearestWeekday(year, month, length)) return true;
    return rule.nearestWeekdayTo.some((target) => target <= length && day === nearestWeekday(year, month, target));
  }
  const weekday = weekdayOf(year, month, day);
  if (rule.weekdays.has(weekday)) return true;
  if (rule.lastOfMonth.includes(weekday) && day + 7 > length) return true;
  return rule.nth.some(([w, n]) => w === weekday && Math.ceil(day / 7) === n);
}

function parseDayOfMonth(field: string): DayRule {
  let lastDay = false;
  let lastWeekday = false;
  const nearestWeekdayTo: number[] = [];
  const plain: string[] = [];
  for (const part of field.split(',')) {
    if (part === 'L') lastDay = true;
    else if (part === 'LW') lastWeekday = true;
    else if (/^\d+W$/.test(part)) nearestWeekdayTo.push(parseNumber(part.slice(0, -1), DAYS_OF_MONTH));
    else plain.push(part);
  }
  const days = plain.length > 0 ? parseField(plain.join(','), DAYS_OF_MONTH) : new Set<number>();
  return { kind: 'dayOfMonth', days, lastDay, lastWeekday, nearestWeekdayTo };
}

function parseDayOfWeek(field: string): DayRule {
  const lastOfMonth: number[] = [];
  const nth: (readonly [number, number])[] = [];
  const plain: string[] = [];
  for (const part of field.split(',')) {
    const hash = /^(\w+)#([1-5])$/.exec(part);
    if (part === 'L') plain.push('7');
    else if (/^\w+L$/.test(part)) lastOfMonth.push(parseNumber(part.slice(0, -1), DAYS_OF_WEEK));
    else if (hash) nth.push([parseNumber(hash[1] ?? '', DAYS_OF_WEEK), Number(hash[2])]);
    else plain.push(part);
  }
  const weekdays = plain.length > 0 ? parseField(plain.join(','), DAYS_OF_WEEK) : new Set<number>();
  return { kind: 'dayOfWeek', weekdays, lastOfMonth, nth };
}

function parseField(field: string, range: FieldRange): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[\w]+(?:-[\w]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new InvalidCronError(`invalid ${range.name} field '${field}'`);
    const [, span = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new InvalidCronError(`invalid increment in ${range.name} field '${field}'`);
    const [from, to] = parseSpan(span, range, stepText !== undefined);
    const width = range.max - range.min + 1;
    const length = ((to - from + width) % width) + 1;
    for (let offset = 0; offset < length; offset += step) {
      values.add(range.min + ((from - range.min + offset) % width));
    }
  }
  return values;
}

function parseSpan(span: string, range: FieldRange, stepped: boolean): [number, number] {
  if (span === '*') return [range.min, range.max];
  const [fromText = '', toText] = span.split('-');
  const from = parseNumber(fromText, range);
  if (toText !== undefined) return [from, parseNumber(toText, range)];
  // `5/15` means from 5 to the end of the range in steps of 15.
  return [from, stepped ? range.max : from];
}

function parseNumber(text: string, range: FieldRange): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidCronError(`'${text}' is not a valid ${range.name} (${range.min}-${range.max})`);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The weekday (MON–FRI) nearest to `target` within the same month, as Quartz defines `W`. */
function nearestWeekday(year: number, month: number, target: number): number {
  const weekday = weekdayOf(year, month, target);
  if (weekday >= 2 && weekday <= 6) return target;
  const length = daysInMonth(year, month);
  if (weekday === 7) return target === 1 ? 3 : target - 1;
  return target === length ? target - 2 : target + 1;
}
