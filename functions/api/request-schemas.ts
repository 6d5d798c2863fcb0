import * as z from 'zod';
import type { FieldIssue } from '../domain/errors.js';
import { ValidationError } from '../domain/errors.js';
import { ROOT_FIELD } from '../domain/settings.js';

/** What an admin may set through POST /queues/{codeUnit}/status (InProcess and Error belong to runs). */
export const SET_STATUS_VALUES = ['Ready', 'OnHold'] as const;

export const setStatusRequestSchema = z.strictObject({
  status: z.enum(SET_STATUS_VALUES).meta({ description: 'Ready enables the schedule; OnHold disables it.' }),
});

/** POST /documents/{id}/release: what an admin decides for a Held invoice. */
export const releaseDocumentRequestSchema = z.strictObject({
  offlineMode: z.boolean().meta({
    description:
      'true: send it declared offline (offlineMode, offline24; it then needs the offline QR codes when handed over outside KSeF). ' +
      'false: send it as a normal invoice anyway, accepting that KSeF marks it offline automatically because its issue date (P_1) is before the send day.',
  }),
});

/** The value at `path` in the parsed body; zod leaves `issue.input` out unless told to report it. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), body);
}

function issuesOf(error: z.ZodError, body: unknown): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const field = issue.path.length === 0 ? ROOT_FIELD : issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key.slice(0, 100), reason: 'is not a known field' }));
    // A missing enum field is an invalid_value to zod: say it is required, not what it must be.
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(body, issue.path) === undefined) return [{ field, reason: 'is required' }];
    if (issue.code === 'invalid_value') return [{ field, reason: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    if (issue.code === 'invalid_type') return [{ field, reason: `must be ${issue.expected === 'boolean' ? 'true or false' : `a ${issue.expected}`}` }];
    return [{ field, reason: issue.message }];
  });
}

/** Parses `body` with `schema`; a 400 naming every bad field otherwise. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(issuesOf(result.error, body));
  return result.data;
}
