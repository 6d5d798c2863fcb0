import { KsefJobError } from '../../../domain/errors.js';
import { type CronSpec, InvalidCronError, parseCron } from './cron-expression.js';

/** A wall-clock date and time in the schedule's time zone. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type ScheduleExpression =
  | { readonly kind: 'at'; readonly at: WallTime }
  | { readonly kind: 'rate'; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly cron: CronSpec };

export class InvalidScheduleExpressionError extends KsefJobError {}

const RATE_UNIT_MS: Readonly<Record<string, number>> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  // AWS: a day is 24 hours of elapsed time, also across daylight-saving changes.
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses `at(yyyy-mm-ddThh:mm:ss)`, `rate(n unit)` or `cron(6 fields)`. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const match = /^(at|rate|cron)\((.*)\)$/.exec(expression.trim());
  if (!match) throw invalid(expression, 'expected at(...), rate(...) or cron(...)');
  const [, kind, body = ''] = match;
  if (kind === 'at') return { kind, at: parseAt(expression, body) };
  if (kind === 'rate') return { kind, intervalMs: parseRate(expression, body) };
  try {
    return { kind: 'cron', cron: parseCron(body) };
  } catch (error) {
    if (error instanceof InvalidCronError) throw invalid(expression, error.message, error);
    throw error;
  }
}

function parseAt(expression: string, body: string): WallTime {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) throw invalid(expression, 'at() takes yyyy-mm-ddThh:mm:ss');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  if (!valid) throw invalid(expression, 'not a calendar date and time');
  return { year, month, day, hour, minute, second };
}

function parseRate(expression: string, body: string): number {
  const match = /^(\d+)\s+(\w+)$/.exec(body.trim());
  const unitMs = match ? RATE_UNIT_MS[match[2] ?? ''] : undefined;
  const value = Number(match?.[1]);
  if (!match || unitMs === undefined || value < 1) throw invalid(expression, 'rate() takes a positive whole number and minute(s), hour(s) or day(s)');
  return value * unitMs;
}

function invalid(expression: string, reason: string, cause?: unknown): InvalidScheduleExpressionError {
  return new InvalidScheduleExpressionError(`Invalid Schedule Expression ${expression}: ${reason}.`, { cause });
}
