import { IANAZone } from 'luxon';
import * as z from 'zod';
import type { CodeUnitId } from './catalogue.js';
import { CODE_UNITS } from './catalogue.js';
import type { FieldIssue } from './errors.js';
import { UnknownCodeUnitError, ValidationError } from './errors.js';
import type { EntrySettings } from './job-queue-entry.js';
import { BUSINESS_TIME_ZONE, LANGUAGES, WEEKDAYS } from './job-queue-entry.js';

/*
 * Entry settings: defaults and validation. The zod schemas are the single source of the rules; the
 * API turns them into JSON Schema (z.toJSONSchema) for the OpenAPI document, so they hold no
 * transforms. Rules that span two fields (window start ≠ end, expiry after earliest start) are
 * checks on the whole settings, run on the merged result of a patch.
 */

/** Zones an entry may use. Only the business zone today; the field exists so that it is explicit. */
export const SUPPORTED_TIME_ZONES = [BUSINESS_TIME_ZONE] as const;

export const SETTINGS_LIMITS = {
  minutesBetweenRuns: { min: 1, max: 10_080 },
  maxAttempts: { min: 1, max: 10 },
  rerunDelaySeconds: { min: 0, max: 3_600 },
  /** A Lambda function runs for at most 15 minutes. */
  jobTimeoutSeconds: { min: 10, max: 900 },
  description: { min: 1, max: 250 },
  notificationRecipients: { max: 20 },
} as const;

/** `field` of an issue that concerns the whole document rather than one field. */
export const ROOT_FIELD = '(root)';

const L = SETTINGS_LIMITS;

/** A schema-specific message, except for a missing value, which is simply required. */
function unlessMissing(message: string) {
  return (issue: { readonly input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}

const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: unlessMissing('must be a time of day HH:mm from 00:00 to 23:59') })
  .meta({ description: 'Local time of day in the entry time zone, HH:mm.', examples: ['02:30'] });

const instantSchema = z
  .iso.datetime({ offset: true, error: unlessMissing('must be an ISO-8601 date-time with Z or an offset, e.g. 2026-04-01T06:00:00Z') })
  .meta({ description: 'ISO-8601 date-time with Z or an offset; stored in UTC.', examples: ['2026-04-01T06:00:00Z'] });

const weekdaysSchema = z
  .array(z.enum(WEEKDAYS))
  .min(1, { error: 'must name at least one weekday' })
  .refine((days) => new Set(days).size === days.length, { error: 'must not name a weekday twice' })
  .meta({ description: 'Weekdays on which the entry may run; a window that wraps midnight belongs to the day it opens.' });

const recurrenceShape = {
  minutesBetweenRuns: z
    .int()
    .min(L.minutesBetweenRuns.min)
    .max(L.minutesBetweenRuns.max)
    .meta({ description: 'Minutes from the end of one run to the next (1440 = daily at the same local time).' }),
  runOnWeekdays: weekdaysSchema,
  startingTime: timeOfDaySchema.nullable().meta({ description: 'Daily window start, HH:mm; null = 00:00.' }),
  endingTime: timeOfDaySchema
    .nullable()
    .meta({ description: 'Daily window end (exclusive), HH:mm; null = 24:00; earlier than the start = wraps midnight.' }),
};

const recipientSchema = z.strictObject({
  email: z.email({ error: unlessMissing('must be a valid e-mail address') }),
  language: z.enum(LANGUAGES),
});

const recipientsSchema = z
  .array(recipientSchema)
  .max(L.notificationRecipients.max)
  .superRefine((recipients, ctx) => {
    const seen = new Set<string>();
    recipients.forEach((recipient, index) => {
      const key = recipient.email.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'email'], message: 'repeats an earlier recipient' });
      seen.add(key);
    });
  });

const timeZoneSchema = z.enum(SUPPORTED_TIME_ZONES, {
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : typeof issue.input === 'string' && IANAZone.isValidZone(issue.input)
      ? `only ${SUPPORTED_TIME_ZONES.join(', ')} is supported for now`
      : 'must be a valid IANA time zone, e.g. Europe/Warsaw',
});

const settingsShape = {
  description: z.string().trim().min(L.description.min).max(L.description.max),
  recurrence: z.strictObject(recurrenceShape),
  earliestStartAt: instantSchema.nullable().meta({ description: 'The entry never runs before it; null = no limit.' }),
  expiresAt: instantSchema.nullable().meta({ description: 'The entry no longer runs after it; null = never expires.' }),
  maxAttempts: z.int().min(L.maxAttempts.min).max(L.maxAttempts.max).meta({ description: 'Attempts per run, the first one included.' }),
  rerunDelaySeconds: z
    .int()
    .min(L.rerunDelaySeconds.min)
    .max(L.rerunDelaySeconds.max)
    .meta({ description: 'Base delay before a retry, doubled per attempt; 0 = retry at once.' }),
  jobTimeoutSeconds: z.int().min(L.jobTimeoutSeconds.min).max(L.jobTimeoutSeconds.max),
  autoRestart: z.boolean(),
  notificationRecipients: recipientsSchema,
  timeZone: timeZoneSchema,
};

interface CrossFieldInput {
  readonly recurrence?: { readonly startingTime?: unknown; readonly endingTime?: unknown };
  readonly earliestStartAt?: unknown;
  readonly expiresAt?: unknown;
}

/** Rules between fields; each is checked only when both of its fields are valid on their own. */
function crossFieldIssues(settings: CrossFieldInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const start = timeOfDaySchema.safeParse(settings.recurrence?.startingTime);
  const end = timeOfDaySchema.safeParse(settings.recurrence?.endingTime);
  if (start.success && end.success && start.data === end.data) {
    issues.push({ field: 'recurrence.endingTime', reason: 'must differ from recurrence.startingTime' });
  }
  const earliest = instantSchema.safeParse(settings.earliestStartAt);
  const expires = instantSchema.safeParse(settings.expiresAt);
  if (earliest.success && expires.success && Date.parse(expires.data) <= Date.parse(earliest.data)) {
    issues.push({ field: 'expiresAt', reason: 'must be later than earliestStartAt' });
  }
  return issues;
}

/** Complete entry settings (what is stored and returned on the card). */
export const entrySettingsSchema = z.strictObject(settingsShape).superRefine((settings, ctx) => {
  for (const issue of crossFieldIssues(settings)) {
    ctx.addIssue({ code: 'custom', path: issue.field.split('.'), message: issue.reason });
  }
});

/** A PATCH body: any subset of the settings; `recurrence` is merged field by field. */
export const entrySettingsPatchSchema = z.strictObject({
  description: settingsShape.description.optional(),
  recurrence: z.strictObject(recurrenceShape).partial().optional(),
  earliestStartAt: settingsShape.earliestStartAt.optional(),
  expiresAt: settingsShape.expiresAt.optional(),
  maxAttempts: settingsShape.maxAttempts.optional(),
  rerunDelaySeconds: settingsShape.rerunDelaySeconds.optional(),
  jobTimeoutSeconds: settingsShape.jobTimeoutSeconds.optional(),
  autoRestart: settingsShape.autoRestart.optional(),
  notificationRecipients: settingsShape.notificationRecipients.optional(),
  timeZone: settingsShape.timeZone.optional(),
});

export type EntrySettingsPatch = z.infer<typeof entrySettingsPatchSchema>;

// The schema must describe the domain type: same fields, and what it accepts is an EntrySettings.
type ParsedSettings = z.infer<typeof entrySettingsSchema>;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const _sameFields: SameKeys<ParsedSettings, EntrySettings> = true;
const _parsedIsEntrySettings = (parsed: ParsedSettings): EntrySettings => parsed;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** Human reasons for zod's generic issues; schema-specific messages take precedence. */
function reasonFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `must be ${expected}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must have at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} item(s)`;
      if (issue.origin === 'string') return `must have at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return undefined;
  }
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? ROOT_FIELD : path.map(String).join('.');
}

function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), reason: 'is not a known setting' }))
      : [{ field: fieldOf(issue.path), reason: issue.message }],
  );
}

/** Each issue once, ordered by field so that messages are stable. */
function uniqueByField(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stored form: instants in UTC, weekdays in calendar order. */
function normalize(settings: EntrySettings): EntrySettings {
  const utc = (instant: string | null) => (instant === null ? null : new Date(instant).toISOString());
  return {
    ...settings,
    recurrence: { ...settings.recurrence, runOnWeekdays: WEEKDAYS.filter((day) => settings.recurrence.runOnWeekdays.includes(day)) },
    earliestStartAt: utc(settings.earliestStartAt),
    expiresAt: utc(settings.expiresAt),
  };
}

/** Defaults of a new entry: every 1440 minutes, all weekdays, no window, 3 attempts, 60 s rerun delay. */
export function defaultSettings(codeUnit: CodeUnitId): EntrySettings {
  const definition = CODE_UNITS[codeUnit];
  if (definition === undefined) throw new UnknownCodeUnitError(codeUnit);
  return {
    description: definition.description,
    recurrence: { minutesBetweenRuns: 1440, runOnWeekdays: [...WEEKDAYS], startingTime: null, endingTime: null },
    earliestStartAt: null,
    expiresAt: null,
    maxAttempts: 3,
    rerunDelaySeconds: 60,
    jobTimeoutSeconds: 600,
    autoRestart: true,
    notificationRecipients: [],
    timeZone: BUSINESS_TIME_ZONE,
  };
}

/**
 * Applies a partial settings document (a PATCH body, unknown shape) to `current`.
 * Throws ValidationError naming every bad field (`recurrence.startingTime`, …); unknown fields are errors.
 */
export function applySettingsPatch(current: EntrySettings, patch: unknown): EntrySettings {
  if (!isPlainObject(patch)) throw new ValidationError([{ field: ROOT_FIELD, reason: 'must be a JSON object' }]);
  const parsedPatch = entrySettingsPatchSchema.safeParse(patch, { error: reasonFor });
  const rawRecurrence = isPlainObject(patch.recurrence) ? patch.recurrence : {};
  const rawMerged = { ...current, ...patch, recurrence: { ...current.recurrence, ...rawRecurrence } };
  if (!parsedPatch.success) {
    throw new ValidationError(uniqueByField([...toFieldIssues(parsedPatch.error), ...crossFieldIssues(rawMerged)]));
  }
  const { recurrence, ...rest } = parsedPatch.data;
  const merged = entrySettingsSchema.safeParse(
    { ...current, ...rest, recurrence: { ...current.recurrence, ...recurrence } },
    { error: reasonFor },
  );
  if (!merged.success) throw new ValidationError(uniqueByField(toFieldIssues(merged.error)));
  return normalize(merged.data);
}
