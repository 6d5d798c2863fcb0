import { DateTime, IANAZone } from 'luxon';
import type { CodeUnitId } from './catalogue.js';
import type { EntrySettings, JobQueueEntry, Recurrence, RunTrigger, Weekday } from './job-queue-entry.js';
import { WEEKDAYS } from './job-queue-entry.js';

/*
 * Next-run calculation (Business Central rules, in the entry's time zone) and the schedule an
 * entry should have. Pure: every instant is passed in.
 *
 * The rules, all read in the entry's IANA time zone:
 * - Interval, measured from the end of the previous run (Business Central). `minutesBetweenRuns` is
 *   elapsed time: a 60-minute interval across the spring-forward gap is 60 real minutes
 *   (01:30 CET → 03:30 CEST). One exception keeps daily jobs at their hour: a whole number of days
 *   (1440, 2880, …) moves the local calendar date by that many days and keeps the wall-clock time
 *   (23 or 25 real hours on the change days); when the window has a starting time, that starting
 *   time is the wall-clock time, so a daily 02:30 job stays at 02:30 however long its runs take and
 *   also after a day on which the gap moved it to 03:00. Without this a daily job would move an hour
 *   for half a year at every change, and creep later by its own duration every day.
 * - Window. Each local day d opens the window [d startingTime, d endingTime); null start = 00:00,
 *   null end = 24:00; an end at or before the start wraps past midnight, and such a slot belongs to
 *   the day on which the window opened (Monday's 23:00–02:00 window covers Tuesday 01:00, and it is
 *   Monday's weekday setting that decides). A candidate past its window goes to the next window start.
 * - Weekdays: the first window (at most a week ahead) on an allowed weekday wins.
 * - Wall times that do not exist (spring-forward gap, 02:00–03:00 on the last Sunday of March) move
 *   to the first instant after the gap (03:00 CEST); wall times that happen twice (fall-back,
 *   02:00–03:00 on the last Sunday of October) mean the earlier occurrence, so a daily 02:30 job runs
 *   once that night. A window that the gap swallows entirely opens at the end of the gap for its
 *   nominal length instead of disappearing, so that the day is not skipped silently.
 * - Never before earliestStartAt; no run (null) when the result is after expiresAt.
 */

/** The payload a schedule delivers to a code unit's function. */
export interface ScheduleInput {
  readonly codeUnit: CodeUnitId;
  readonly entryId: string;
  readonly trigger: Exclude<RunTrigger, 'manual'>;
  /** UTC ISO-8601 of the slot this schedule fires for. */
  readonly scheduledFor: string;
}

export type ScheduleState = 'ENABLED' | 'DISABLED';

/** The schedule an entry should have. */
export interface DesiredSchedule {
  readonly codeUnit: CodeUnitId;
  readonly state: ScheduleState;
  /** EventBridge Scheduler expression, e.g. `at(2026-03-29T03:00:00)`. */
  readonly expression: string;
  /** IANA zone the expression is read in. */
  readonly timeZone: string;
  readonly input: ScheduleInput;
}

export type RecurrenceSettings = Pick<EntrySettings, 'recurrence' | 'earliestStartAt' | 'expiresAt' | 'timeZone'>;

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const DAY_MS = DAY_MINUTES * MINUTE_MS;

/**
 * Where a disabled schedule without a next run points: a fixed instant far in the future, so the
 * expression stays stable (the reconciler sees no drift) and is always accepted as a future `at()`.
 * Were it ever enabled by hand, its `scheduledFor` would match no entry's next run and be skipped.
 */
export const DISABLED_SCHEDULE_PLACEHOLDER = '2099-12-31T23:59:00.000Z';

/** A calendar date in the entry's zone. */
interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

interface Window {
  readonly start: number;
  readonly end: number;
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone '${timeZone}'.`);
  return zone;
}

function instantOf(date: Date, what: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid date.`);
  return ms;
}

function parseInstant(iso: string, what: string): number {
  return instantOf(new Date(iso), what);
}

function localDateOf(zone: IANAZone, instant: number): LocalDate {
  const local = DateTime.fromMillis(instant, { zone });
  return { year: local.year, month: local.month, day: local.day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = DateTime.utc(date.year, date.month, date.day).plus({ days });
  return { year: shifted.year, month: shifted.month, day: shifted.day };
}

function weekdayOf(date: LocalDate): Weekday {
  const weekday = WEEKDAYS[DateTime.utc(date.year, date.month, date.day).weekday - 1];
  if (weekday === undefined) throw new RangeError('Weekday out of range.');
  return weekday;
}

/** Every instant at which the wall clock in `zone` shows `msOfDay` on `date`: none (gap), one, or two (overlap). */
function instantsOfWallTime(zone: IANAZone, date: LocalDate, msOfDay: number): number[] {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + msOfDay;
  // Offsets a day either side cover every offset that wall time could have (changes are months apart).
  const offsets = new Set([zone.offset(wall - DAY_MS), zone.offset(wall), zone.offset(wall + DAY_MS)]);
  const instants = [...offsets]
    .map((offset) => ({ offset, instant: wall - offset * MINUTE_MS }))
    .filter(({ offset, instant }) => zone.offset(instant) === offset)
    .map(({ instant }) => instant);
  return [...new Set(instants)].sort((a, b) => a - b);
}

/** The instant of a local wall time: the earlier one when it happens twice, the end of the gap when it never happens. */
function resolveWallTime(zone: IANAZone, date: LocalDate, msOfDay: number): number {
  const instants = instantsOfWallTime(zone, date, msOfDay);
  if (instants[0] !== undefined) return instants[0];
  const wall = Date.UTC(date.year, date.month - 1, date.day) + msOfDay;
  const candidates = [zone.offset(wall - DAY_MS), zone.offset(wall + DAY_MS)].map((offset) => wall - offset * MINUTE_MS);
  let before = Math.min(...candidates);
  let after = Math.max(...candidates);
  const offsetAfter = zone.offset(after);
  // The clock jumps somewhere between the two readings; find the first instant on the new offset.
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (zone.offset(middle) === offsetAfter) after = middle;
    else before = middle;
  }
  return after;
}

function minutesOf(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`'${time}' is not a HH:mm time.`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The window that opens on local day `date`. */
function windowOn(recurrence: Recurrence, zone: IANAZone, date: LocalDate): Window {
  const startMinutes = recurrence.startingTime === null ? 0 : minutesOf(recurrence.startingTime);
  const nominalEnd = recurrence.endingTime === null ? DAY_MINUTES : minutesOf(recurrence.endingTime);
  const endMinutes = nominalEnd > startMinutes ? nominalEnd : nominalEnd + DAY_MINUTES;
  const start = resolveWallTime(zone, date, startMinutes * MINUTE_MS);
  const end = resolveWallTime(zone, date, endMinutes * MINUTE_MS);
  // Only a window inside the spring-forward gap ends up empty; keep it open after the gap instead.
  return { start, end: end > start ? end : start + (endMinutes - startMinutes) * MINUTE_MS };
}

/** The first allowed instant at or after `candidate`, or null when no weekday is allowed. */
function pushIntoWindow(recurrence: Recurrence, zone: IANAZone, candidate: number): number | null {
  const allowed = new Set<Weekday>(recurrence.runOnWeekdays);
  if (allowed.size === 0) return null;
  // Start a day early: yesterday's window may wrap past midnight into today.
  const firstDay = addDays(localDateOf(zone, candidate), -1);
  for (let offset = 0; offset <= 9; offset += 1) {
    const day = addDays(firstDay, offset);
    if (!allowed.has(weekdayOf(day))) continue;
    const window = windowOn(recurrence, zone, day);
    if (window.end > candidate) return Math.max(candidate, window.start);
  }
  return null;
}

/**
 * The candidate after a run that ended at `after`: elapsed minutes, or for whole days the same
 * wall-clock time N local days later, anchored on the window's starting time when there is one.
 */
function candidateAfter(recurrence: Recurrence, zone: IANAZone, runEnd: number): number {
  // Schedules have minute precision (see atExpression): measured from the minute the run ended in,
  // so that the seconds a run takes do not push every next run into the following minute.
  const after = Math.floor(runEnd / MINUTE_MS) * MINUTE_MS;
  const minutes = recurrence.minutesBetweenRuns;
  if (minutes <= 0 || !Number.isInteger(minutes)) throw new RangeError(`minutesBetweenRuns must be a positive integer, got ${minutes}.`);
  if (minutes % DAY_MINUTES !== 0) return after + minutes * MINUTE_MS;
  const days = minutes / DAY_MINUTES;
  const local = DateTime.fromMillis(after, { zone });
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  if (recurrence.startingTime !== null) {
    // The day whose window opened last before the run (yesterday's, when it wraps past midnight).
    const windowDay = windowOn(recurrence, zone, today).start <= after ? today : addDays(today, -1);
    return windowOn(recurrence, zone, addDays(windowDay, days)).start;
  }
  const msOfDay = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
  return resolveWallTime(zone, addDays(today, days), msOfDay);
}

/** The first run at or after `candidate` that the settings allow, or null. */
function firstRunFrom(settings: RecurrenceSettings, zone: IANAZone, candidate: number): Date | null {
  const earliest = settings.earliestStartAt === null ? candidate : parseInstant(settings.earliestStartAt, 'earliestStartAt');
  const run = pushIntoWindow(settings.recurrence, zone, Math.max(candidate, earliest));
  if (run === null) return null;
  if (settings.expiresAt !== null && run > parseInstant(settings.expiresAt, 'expiresAt')) return null;
  return new Date(run);
}

/**
 * The next run after a run that ended at `after`: after + minutesBetweenRuns, pushed into the
 * daily window and onto an allowed weekday, never before earliestStartAt; null when that is past expiresAt.
 */
export function computeNextRun(settings: RecurrenceSettings, after: Date): Date | null {
  const zone = zoneOf(settings.timeZone);
  const candidate = candidateAfter(settings.recurrence, zone, instantOf(after, 'after'));
  return firstRunFrom(settings, zone, candidate);
}

/** The first run when an entry is set Ready at `now`: max(now, earliestStartAt) pushed into the window, on a whole minute. */
export function computeInitialRun(settings: RecurrenceSettings, now: Date): Date | null {
  // Rounded up to a whole minute, as the schedule fires it: the card then shows the real time.
  return firstRunFrom(settings, zoneOf(settings.timeZone), Math.ceil(instantOf(now, 'now') / MINUTE_MS) * MINUTE_MS);
}

/**
 * The next `count` run times from `from`, for the entry card (each assumes the previous run takes no time).
 * The first is the initial run at `from`, so passing an entry's nextRunAt lists that run first.
 */
export function previewRuns(settings: RecurrenceSettings, from: Date, count: number): Date[] {
  const runs: Date[] = [];
  let run = count >= 1 ? computeInitialRun(settings, from) : null;
  while (run !== null && runs.length < count) {
    runs.push(run);
    run = runs.length < count ? computeNextRun(settings, run) : null;
  }
  return runs;
}

/** Whether `at` lies inside the allowed weekdays and daily window. */
export function isWithinWindow(recurrence: Recurrence, timeZone: string, at: Date): boolean {
  const instant = instantOf(at, 'at');
  return pushIntoWindow(recurrence, zoneOf(timeZone), instant) === instant;
}

/**
 * EventBridge `at()` expression for an instant: local wall time in `timeZone`, or UTC when the
 * wall time is ambiguous or does not exist (daylight-saving changes).
 *
 * EventBridge Scheduler has minute precision (no flexible window): a schedule for 10:00 fires
 * between 10:00:00 and 10:00:59. The instant is therefore rounded UP to the next whole minute, so a
 * run never fires before its computed time (the runner would otherwise find it not yet due).
 */
export function atExpression(at: Date, timeZone: string): { expression: string; timeZone: string } {
  const zone = zoneOf(timeZone);
  const instant = Math.ceil(instantOf(at, 'at') / MINUTE_MS) * MINUTE_MS;
  const local = DateTime.fromMillis(instant, { zone });
  const wallMs = (local.hour * 60 + local.minute) * MINUTE_MS;
  const unambiguous = instantsOfWallTime(zone, { year: local.year, month: local.month, day: local.day }, wallMs);
  if (unambiguous.length === 1 && unambiguous[0] === instant) {
    return { expression: `at(${local.toFormat("yyyy-MM-dd'T'HH:mm:ss")})`, timeZone };
  }
  const utc = DateTime.fromMillis(instant, { zone: 'utc' });
  return { expression: `at(${utc.toFormat("yyyy-MM-dd'T'HH:mm:ss")})`, timeZone: 'UTC' };
}

/**
 * The schedule an entry should have: ENABLED while the entry is Ready or InProcess (InProcess is a
 * lease on a Ready entry), or in Error with an automatic restart pending (nextRunTrigger `restart`:
 * the schedule fires the restart at its slot), and has a next run; DISABLED otherwise (OnHold, Error
 * without a restart, expired). This refines issue 2's "enabled exactly while Ready": without it a
 * restart would depend on a second mechanism instead of the entry's own schedule.
 * A disabled entry without a next run gets DISABLED_SCHEDULE_PLACEHOLDER as its time.
 */
export function desiredSchedule(entry: JobQueueEntry): DesiredSchedule {
  const restartPending = entry.status === 'Error' && entry.nextRunTrigger === 'restart';
  const active = entry.status === 'Ready' || entry.status === 'InProcess' || restartPending;
  const scheduledFor = entry.nextRunAt ?? DISABLED_SCHEDULE_PLACEHOLDER;
  const { expression, timeZone } = atExpression(new Date(scheduledFor), entry.nextRunAt === null ? 'UTC' : entry.timeZone);
  return {
    codeUnit: entry.codeUnit,
    state: active && entry.nextRunAt !== null ? 'ENABLED' : 'DISABLED',
    expression,
    timeZone,
    input: { codeUnit: entry.codeUnit, entryId: entry.id, trigger: entry.nextRunTrigger, scheduledFor },
  };
}
