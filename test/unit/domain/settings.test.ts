import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CODE_UNIT_IDS, CODE_UNITS } from '../../../functions/domain/catalogue.js';
import { ValidationError, type FieldIssue } from '../../../functions/domain/errors.js';
import type { EntrySettings } from '../../../functions/domain/job-queue-entry.js';
import {
  ROOT_FIELD,
  applySettingsPatch,
  defaultSettings,
  entrySettingsPatchSchema,
  entrySettingsSchema,
} from '../../../functions/domain/settings.js';

const current: EntrySettings = defaultSettings('update-ledgers');

/** The issues of the ValidationError that applying `patch` throws. */
function issuesOf(patch: unknown, base: EntrySettings = current): FieldIssue[] {
  try {
    applySettingsPatch(base, patch);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fieldsOf(patch: unknown, base?: EntrySettings): string[] {
  return issuesOf(patch, base).map((issue) => issue.field).sort();
}

describe('defaultSettings', () => {
  it('a new entry runs every 1440 minutes on all seven weekdays, without a window, in Europe/Warsaw', () => {
    expect(defaultSettings('send-documents')).toEqual({
      description: 'Sends pending sales invoices (FA(3) XML) to KSeF.',
      recurrence: { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], startingTime: null, endingTime: null },
      earliestStartAt: null,
      expiresAt: null,
      maxAttempts: 3,
      rerunDelaySeconds: 60,
      jobTimeoutSeconds: 600,
      autoRestart: true,
      notificationRecipients: [],
      timeZone: 'Europe/Warsaw',
    });
  });

  it.each(CODE_UNIT_IDS)('the default description of %s is its catalogue description and passes validation', (codeUnit) => {
    const defaults = defaultSettings(codeUnit);
    expect(defaults.description).toBe(CODE_UNITS[codeUnit].description);
    expect(entrySettingsSchema.safeParse(defaults).success).toBe(true);
  });

  it('every call returns its own copy, so changing one entry never changes another', () => {
    const first = defaultSettings('process-upo');
    (first.recurrence.runOnWeekdays as string[]).pop();
    expect(defaultSettings('process-upo').recurrence.runOnWeekdays).toHaveLength(7);
  });
});

describe('applySettingsPatch: accepted changes', () => {
  it('an empty patch changes nothing', () => {
    expect(applySettingsPatch(current, {})).toEqual(current);
  });

  it('a recurrence patch is merged field by field', () => {
    const updated = applySettingsPatch(current, { recurrence: { startingTime: '22:00', endingTime: '02:00' } });
    expect(updated.recurrence).toEqual({ ...current.recurrence, startingTime: '22:00', endingTime: '02:00' });
  });

  it('a full edit of every field is applied', () => {
    const updated = applySettingsPatch(current, {
      description: '  Nightly ledger sync  ',
      recurrence: { minutesBetweenRuns: 60, runOnWeekdays: ['fri', 'mon'], startingTime: '06:00', endingTime: null },
      earliestStartAt: '2026-04-01T08:00:00+02:00',
      expiresAt: '2026-12-31T23:00:00Z',
      maxAttempts: 10,
      rerunDelaySeconds: 0,
      jobTimeoutSeconds: 900,
      autoRestart: false,
      notificationRecipients: [
        { email: 'ksiegowosc@example.pl', language: 'pl' },
        { email: 'oncall@example.com', language: 'en' },
      ],
      timeZone: 'Europe/Warsaw',
    });
    expect(updated).toEqual({
      description: 'Nightly ledger sync',
      recurrence: { minutesBetweenRuns: 60, runOnWeekdays: ['mon', 'fri'], startingTime: '06:00', endingTime: null },
      earliestStartAt: '2026-04-01T06:00:00.000Z',
      expiresAt: '2026-12-31T23:00:00.000Z',
      maxAttempts: 10,
      rerunDelaySeconds: 0,
      jobTimeoutSeconds: 900,
      autoRestart: false,
      notificationRecipients: [
        { email: 'ksiegowosc@example.pl', language: 'pl' },
        { email: 'oncall@example.com', language: 'en' },
      ],
      timeZone: 'Europe/Warsaw',
    });
  });

  it('null clears the window, the earliest start and the expiry', () => {
    const windowed = applySettingsPatch(current, {
      recurrence: { startingTime: '08:00', endingTime: '16:00' },
      earliestStartAt: '2026-04-01T06:00:00Z',
      expiresAt: '2026-05-01T06:00:00Z',
    });
    const cleared = applySettingsPatch(windowed, { recurrence: { startingTime: null, endingTime: null }, earliestStartAt: null, expiresAt: null });
    expect(cleared).toEqual(current);
  });

  it('the limits themselves are accepted', () => {
    expect(() => applySettingsPatch(current, { recurrence: { minutesBetweenRuns: 1 }, maxAttempts: 1, rerunDelaySeconds: 3600, jobTimeoutSeconds: 10 })).not.toThrow();
    expect(() => applySettingsPatch(current, { recurrence: { minutesBetweenRuns: 10080, startingTime: '00:00', endingTime: '23:59' } })).not.toThrow();
  });

  it('the current settings are not modified', () => {
    const before = structuredClone(current);
    applySettingsPatch(current, { recurrence: { minutesBetweenRuns: 5 }, description: 'x' });
    expect(current).toEqual(before);
  });
});

describe('applySettingsPatch: validation errors name each bad field', () => {
  it('a body that is not an object is refused as a whole', () => {
    for (const body of [null, [], 'daily', 42, undefined]) {
      expect(issuesOf(body)).toEqual([{ field: ROOT_FIELD, reason: 'must be a JSON object' }]);
    }
  });

  it('unknown fields are errors, also inside the recurrence and the recipients', () => {
    expect(fieldsOf({ colour: 'red', recurrence: { every: 5 }, notificationRecipients: [{ email: 'a@example.pl', language: 'pl', cc: true }] })).toEqual([
      'colour',
      'notificationRecipients.0.cc',
      'recurrence.every',
    ]);
    expect(issuesOf({ colour: 'red' })).toEqual([{ field: 'colour', reason: 'is not a known setting' }]);
  });

  it.each([0, 10081, 1.5, '60', null, -5])('minutesBetweenRuns %j is refused', (value) => {
    expect(fieldsOf({ recurrence: { minutesBetweenRuns: value } })).toEqual(['recurrence.minutesBetweenRuns']);
  });

  it('a fractional interval is explained as needing a whole number', () => {
    expect(issuesOf({ recurrence: { minutesBetweenRuns: 1.5 } })).toEqual([{ field: 'recurrence.minutesBetweenRuns', reason: 'must be a whole number' }]);
    expect(issuesOf({ recurrence: { minutesBetweenRuns: 0 } })).toEqual([{ field: 'recurrence.minutesBetweenRuns', reason: 'must be at least 1' }]);
  });

  it('an empty weekday list is refused', () => {
    expect(issuesOf({ recurrence: { runOnWeekdays: [] } })).toEqual([{ field: 'recurrence.runOnWeekdays', reason: 'must name at least one weekday' }]);
  });

  it('a repeated weekday is refused', () => {
    expect(issuesOf({ recurrence: { runOnWeekdays: ['mon', 'tue', 'mon'] } })).toEqual([{ field: 'recurrence.runOnWeekdays', reason: 'must not name a weekday twice' }]);
  });

  it('an unknown weekday is refused at its position', () => {
    expect(fieldsOf({ recurrence: { runOnWeekdays: ['mon', 'monday'] } })).toEqual(['recurrence.runOnWeekdays.1']);
  });

  it.each(['24:00', '7:30', '12:60', '12:00:00', '', 'noon'])('the starting time %j is refused', (value) => {
    expect(issuesOf({ recurrence: { startingTime: value } })).toEqual([
      { field: 'recurrence.startingTime', reason: 'must be a time of day HH:mm from 00:00 to 23:59' },
    ]);
  });

  it('a window whose end equals its start is refused on the ending time', () => {
    expect(issuesOf({ recurrence: { startingTime: '08:00', endingTime: '08:00' } })).toEqual([
      { field: 'recurrence.endingTime', reason: 'must differ from recurrence.startingTime' },
    ]);
  });

  it('changing only the end to equal the stored start is refused too', () => {
    const windowed = applySettingsPatch(current, { recurrence: { startingTime: '08:00', endingTime: '16:00' } });
    expect(fieldsOf({ recurrence: { endingTime: '08:00' } }, windowed)).toEqual(['recurrence.endingTime']);
  });

  it.each(['2026-04-01', '2026-04-01T06:00:00', 'yesterday', '2026-13-01T00:00:00Z', 1_775_000_000_000])('the timestamp %j is refused', (value) => {
    expect(fieldsOf({ earliestStartAt: value, expiresAt: value })).toEqual(['earliestStartAt', 'expiresAt']);
  });

  it('an expiry at or before the earliest start is refused', () => {
    expect(issuesOf({ earliestStartAt: '2026-04-01T08:00:00+02:00', expiresAt: '2026-04-01T06:00:00Z' })).toEqual([
      { field: 'expiresAt', reason: 'must be later than earliestStartAt' },
    ]);
  });

  it('an earliest start moved past the stored expiry is refused', () => {
    const expiring = applySettingsPatch(current, { expiresAt: '2026-05-01T00:00:00Z' });
    expect(fieldsOf({ earliestStartAt: '2026-06-01T00:00:00Z' }, expiring)).toEqual(['expiresAt']);
  });

  it.each([
    ['maxAttempts', 0],
    ['maxAttempts', 11],
    ['rerunDelaySeconds', -1],
    ['rerunDelaySeconds', 3601],
    ['jobTimeoutSeconds', 9],
    ['jobTimeoutSeconds', 901],
    ['autoRestart', 'yes'],
  ])('%s %j is refused', (field, value) => {
    expect(fieldsOf({ [field]: value })).toEqual([field]);
  });

  it('a job timeout over 15 minutes is explained by its limit', () => {
    expect(issuesOf({ jobTimeoutSeconds: 1800 })).toEqual([{ field: 'jobTimeoutSeconds', reason: 'must be at most 900' }]);
  });

  it('a description that is blank or longer than 250 characters is refused', () => {
    expect(issuesOf({ description: '   ' })).toEqual([{ field: 'description', reason: 'must not be empty' }]);
    expect(issuesOf({ description: 'x'.repeat(251) })).toEqual([{ field: 'description', reason: 'must have at most 250 characters' }]);
    expect(applySettingsPatch(current, { description: 'x'.repeat(250) }).description).toHaveLength(250);
  });

  it('recipients need a valid e-mail address and a language of pl or en', () => {
    expect(issuesOf({ notificationRecipients: [{ email: 'not-an-address', language: 'de' }, { language: 'pl' }] })).toEqual([
      { field: 'notificationRecipients.0.email', reason: 'must be a valid e-mail address' },
      { field: 'notificationRecipients.0.language', reason: 'must be one of "pl", "en"' },
      { field: 'notificationRecipients.1.email', reason: 'is required' },
    ]);
  });

  it('a recipient listed twice is refused, whatever the letter case', () => {
    const recipients = [
      { email: 'oncall@example.pl', language: 'pl' },
      { email: 'OnCall@Example.pl', language: 'en' },
    ];
    expect(issuesOf({ notificationRecipients: recipients })).toEqual([{ field: 'notificationRecipients.1.email', reason: 'repeats an earlier recipient' }]);
  });

  it('more than 20 recipients are refused', () => {
    const recipients = Array.from({ length: 21 }, (_, index) => ({ email: `person${index}@example.pl`, language: 'pl' }));
    expect(issuesOf({ notificationRecipients: recipients })).toEqual([{ field: 'notificationRecipients', reason: 'must have at most 20 item(s)' }]);
  });

  it('a time zone other than Europe/Warsaw is refused, and a made-up one is called invalid', () => {
    expect(issuesOf({ timeZone: 'Europe/Berlin' })).toEqual([{ field: 'timeZone', reason: 'only Europe/Warsaw is supported for now' }]);
    expect(issuesOf({ timeZone: 'Europe/Atlantis' })).toEqual([{ field: 'timeZone', reason: 'must be a valid IANA time zone, e.g. Europe/Warsaw' }]);
  });

  it('every bad field of one patch is reported at once, with the field-spanning rules', () => {
    expect(
      fieldsOf({
        description: '',
        recurrence: { minutesBetweenRuns: 0, startingTime: '10:00', endingTime: '10:00' },
        earliestStartAt: '2026-05-01T00:00:00Z',
        expiresAt: '2026-04-01T00:00:00Z',
        maxAttempts: 99,
        unknown: true,
      }),
    ).toEqual(['description', 'expiresAt', 'maxAttempts', 'recurrence.endingTime', 'recurrence.minutesBetweenRuns', 'unknown']);
  });

  it('the error message lists every field and reason', () => {
    expect(() => applySettingsPatch(current, { maxAttempts: 0, recurrence: { startingTime: 'x' } })).toThrow(
      'maxAttempts: must be at least 1; recurrence.startingTime: must be a time of day HH:mm from 00:00 to 23:59',
    );
  });
});

describe('JSON Schema for the OpenAPI document', () => {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  function compile(schema: z.ZodType) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(z.toJSONSchema(schema));
  }

  it('the settings schema converts to JSON Schema that accepts the defaults', () => {
    const validate = compile(entrySettingsSchema);
    expect(validate(defaultSettings('incoming-documents'))).toBe(true);
  });

  it('the settings JSON Schema carries the limits and refuses unknown fields', () => {
    const jsonSchema = z.toJSONSchema(entrySettingsSchema) as { additionalProperties: boolean; properties: Record<string, { minimum?: number; maximum?: number }> };
    expect(jsonSchema.additionalProperties).toBe(false);
    expect(jsonSchema.properties.jobTimeoutSeconds).toMatchObject({ minimum: 10, maximum: 900 });
    expect(compile(entrySettingsSchema)({ ...defaultSettings('incoming-documents'), colour: 'red' })).toBe(false);
  });

  it('the patch schema converts to JSON Schema with every field optional', () => {
    const validate = compile(entrySettingsPatchSchema);
    expect(validate({})).toBe(true);
    expect(validate({ recurrence: { startingTime: '08:00' } })).toBe(true);
    expect(validate({ recurrence: { startingTime: '8 am' } })).toBe(false);
    expect(validate({ maxAttempts: 11 })).toBe(false);
  });
});
