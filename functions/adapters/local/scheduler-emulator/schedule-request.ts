import { IANAZone } from 'luxon';
import { validation } from './api-errors.js';
import type { WireSchedule, WireTarget } from './emulator-state.js';
import { InvalidScheduleExpressionError, parseScheduleExpression } from './schedule-expression.js';

/*
 * Validation of a CreateSchedule / UpdateSchedule body with the constraints of the API reference,
 * so that a request AWS would refuse is refused here too, with a ValidationException.
 */

export const DEFAULT_GROUP = 'default';

export type ScheduleFields = Omit<WireSchedule, 'Arn' | 'CreationDate' | 'LastModificationDate'>;

const NAME_PATTERN = /^[0-9a-zA-Z\-_.]{1,64}$/;

export function validateName(name: string, what = 'Name'): string {
  if (!NAME_PATTERN.test(name)) throw validation(`${what} '${name}' must be 1-64 characters of [0-9a-zA-Z-_.].`);
  return name;
}

export function parseScheduleRequest(name: string, body: unknown): ScheduleFields {
  const input = asObject(body, 'request body');
  const expression = requiredString(input, 'ScheduleExpression');
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleExpressionError) throw validation(error.message);
    throw error;
  }
  const timeZone = optionalString(input, 'ScheduleExpressionTimezone');
  if (timeZone !== undefined && !IANAZone.isValidZone(timeZone)) throw validation(`Invalid time zone ${timeZone}.`);
  const startDate = optionalNumber(input, 'StartDate');
  const endDate = optionalNumber(input, 'EndDate');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) throw validation('The EndDate must be after the StartDate.');
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) throw validation('Description is longer than 512 characters.');
  return {
    Name: validateName(name),
    GroupName: validateName(optionalString(input, 'GroupName') ?? DEFAULT_GROUP, 'GroupName'),
    ScheduleExpression: expression,
    ...(timeZone === undefined ? {} : { ScheduleExpressionTimezone: timeZone }),
    ...(startDate === undefined ? {} : { StartDate: startDate }),
    ...(endDate === undefined ? {} : { EndDate: endDate }),
    ...(description === undefined ? {} : { Description: description }),
    State: oneOf(input, 'State', ['ENABLED', 'DISABLED'] as const) ?? 'ENABLED',
    ...optionalStringField(input, 'KmsKeyArn'),
    Target: parseTarget(input.Target),
    FlexibleTimeWindow: parseFlexibleTimeWindow(input.FlexibleTimeWindow),
    ActionAfterCompletion: oneOf(input, 'ActionAfterCompletion', ['NONE', 'DELETE'] as const) ?? 'NONE',
  };
}

function parseTarget(value: unknown): WireTarget {
  const target = asObject(value, 'Target');
  const input = optionalString(target, 'Input');
  if (input !== undefined && (input.length < 1 || input.length > 8192)) throw validation('Target.Input must be 1-8192 characters.');
  const retry = target.RetryPolicy === undefined ? undefined : asObject(target.RetryPolicy, 'Target.RetryPolicy');
  if (retry) {
    inRange(retry, 'MaximumRetryAttempts', 0, 185, 'Target.RetryPolicy');
    inRange(retry, 'MaximumEventAgeInSeconds', 60, 86_400, 'Target.RetryPolicy');
  }
  if (target.DeadLetterConfig !== undefined) {
    const arn = optionalString(asObject(target.DeadLetterConfig, 'Target.DeadLetterConfig'), 'Arn');
    if (arn !== undefined && !arn.startsWith('arn:')) throw validation('Target.DeadLetterConfig.Arn must be an ARN.');
  }
  return { ...target, Arn: requiredString(target, 'Arn', 'Target'), RoleArn: requiredString(target, 'RoleArn', 'Target') };
}

function parseFlexibleTimeWindow(value: unknown): WireSchedule['FlexibleTimeWindow'] {
  const window = asObject(value, 'FlexibleTimeWindow');
  const mode = oneOf(window, 'Mode', ['OFF', 'FLEXIBLE'] as const);
  if (mode === undefined) throw validation('FlexibleTimeWindow.Mode is required.');
  if (mode === 'OFF') return { Mode: mode };
  const minutes = inRange(window, 'MaximumWindowInMinutes', 1, 1440, 'FlexibleTimeWindow');
  if (minutes === undefined) throw validation('FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
  return { Mode: mode, MaximumWindowInMinutes: minutes };
}

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validation(`${what} is required and must be an object.`);
  return value as Json;
}

function requiredString(object: Json, key: string, parent?: string): string {
  const value = optionalString(object, key, parent);
  if (value === undefined || value.length === 0) throw validation(`${parent ? `${parent}.` : ''}${key} is required.`);
  return value;
}

function optionalString(object: Json, key: string, parent?: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${parent ? `${parent}.` : ''}${key} must be a string.`);
  return value;
}

function optionalStringField(object: Json, key: 'KmsKeyArn'): { KmsKeyArn?: string } {
  const value = optionalString(object, key);
  return value === undefined ? {} : { [key]: value };
}

function optionalNumber(object: Json, key: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw validation(`${key} must be a timestamp.`);
  return value;
}

function inRange(object: Json, key: string, min: number, max: number, parent: string): number | undefined {
  const value = optionalNumber(object, key);
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw validation(`${parent}.${key} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function oneOf<const T extends string>(object: Json, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(object, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw validation(`${key} must be one of ${allowed.join(', ')}.`);
  return value as T;
}
