import type { CodeUnitId } from './catalogue.js';
import type { EntrySettings } from './job-queue-entry.js';

/*
 * Entry settings: defaults and validation.
 * TODO(domain helper): implement with zod; the signatures are the contract.
 */

/** Defaults of a new entry: every 1440 minutes, all weekdays, no window, 3 attempts, 60 s rerun delay. */
export function defaultSettings(_codeUnit: CodeUnitId): EntrySettings {
  throw new Error('not implemented');
}

/**
 * Applies a partial settings document (a PATCH body, unknown shape) to `current`.
 * Throws ValidationError naming every bad field (`recurrence.startingTime`, …); unknown fields are errors.
 */
export function applySettingsPatch(_current: EntrySettings, _patch: unknown): EntrySettings {
  throw new Error('not implemented');
}
