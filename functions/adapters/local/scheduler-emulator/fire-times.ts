import { DateTime } from 'luxon';
import { CRON_YEARS, type CronSpec, matchesDay } from './cron-expression.js';
import type { ScheduleExpression, WallTime } from './schedule-expression.js';

/*
 * When a schedule fires, with the EventBridge Scheduler rules: expressions are read in the schedule's
 * time zone; a wall time that does not exist (spring-forward gap) is skipped; a wall time that occurs
 * twice (fall-back) fires once, at its first occurrence; rate() counts elapsed time; StartDate and
 * EndDate bound recurring schedules only (AWS ignores them for one-time schedules).
 */

export interface FiringRule {
  readonly expression: ScheduleExpression;
  readonly timeZone: string;
  /** Epoch ms; recurring schedules fire at or after it. */
  readonly startMs?: number;
  /** Epoch ms; recurring schedules fire strictly before it. */
  readonly endMs?: number;
  /** Epoch ms a rate() counts from when there is no StartDate (the minute the schedule was written). */
  readonly rateAnchorMs: number;
}

/** The first fire time at or after `fromMs`, or null when the schedule will not fire again. */
export function nextFireTime(rule: FiringRule, fromMs: number): number | null {
  const { expression } = rule;
  if (expression.kind === 'at') {
    const at = resolveWallTime(rule.timeZone, expression.at);
    return at !== null && at >= fromMs ? at : null;
  }
  const from = Math.max(fromMs, rule.startMs ?? Number.NEGATIVE_INFINITY);
  const next =
    expression.kind === 'rate'
      ? nextRateTime(rule.startMs ?? rule.rateAnchorMs, expression.intervalMs, from)
      : nextCronTime(expression.cron, rule.timeZone, from);
  return next !== null && (rule.endMs === undefined || next < rule.endMs) ? next : null;
}

/** The instant of a wall time in a zone: null in a gap, the earlier instant when it occurs twice. */
export function resolveWallTime(timeZone: string, wall: WallTime): number | null {
  const local = DateTime.fromObject(wall, { zone: timeZone });
  const exists =
    local.isValid &&
    local.year === wall.year &&
    local.month === wall.month &&
    local.day === wall.day &&
    local.hour === wall.hour &&
    local.minute === wall.minute;
  if (!exists) return null;
  return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}

function nextRateTime(anchorMs: number, intervalMs: number, fromMs: number): number {
  if (fromMs <= anchorMs) return anchorMs;
  return anchorMs + Math.ceil((fromMs - anchorMs) / intervalMs) * intervalMs;
}

function nextCronTime(cron: CronSpec, timeZone: string, fromMs: number): number | null {
  const start = DateTime.fromMillis(fromMs, { zone: timeZone });
  // Walk calendar dates (zone-free), then resolve each matching wall time in the zone.
  let date = DateTime.utc(start.year, start.month, start.day);
  while (date.year <= CRON_YEARS.max) {
    if (!cron.years.has(date.year)) {
      date = DateTime.utc(date.year + 1, 1, 1);
      continue;
    }
    if (!cron.months.has(date.month)) {
      date = date.startOf('month').plus({ months: 1 });
      continue;
    }
    if (matchesDay(cron.day, date.year, date.month, date.day)) {
      const found = firstSlotOfDay(cron, timeZone, date, fromMs);
      if (found !== null) return found;
    }
    date = date.plus({ days: 1 });
  }
  return null;
}

function firstSlotOfDay(cron: CronSpec, timeZone: string, date: DateTime, fromMs: number): number | null {
  for (const hour of cron.hours) {
    for (const minute of cron.minutes) {
      const at = resolveWallTime(timeZone, { year: date.year, month: date.month, day: date.day, hour, minute, second: 0 });
      if (at !== null && at >= fromMs) return at;
    }
  }
  return null;
}
