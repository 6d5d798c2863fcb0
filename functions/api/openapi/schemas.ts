import * as z from 'zod';
import { CODE_UNIT_IDS } from '../../domain/catalogue.js';
import { ENTRY_STATUSES, RUN_STATUSES, RUN_TRIGGERS } from '../../domain/job-queue-entry.js';
import { entrySettingsPatchSchema, entrySettingsSchema } from '../../domain/settings.js';
import { MAX_SCHEMA_ERRORS, PROBLEM_BASE_URI } from '../problem.js';
import { setStatusRequestSchema } from '../request-schemas.js';
import { DOCUMENT_SCHEMAS } from './document-schemas.js';
import { NOTIFICATION_SCHEMAS } from './notification-schemas.js';
import { STATUS_SCHEMAS } from './status-schemas.js';

/*
 * Schemas of what the API sends and accepts, for the OpenAPI document only: requests are validated
 * by the domain's schemas (settings.ts) and by request-schemas.ts, which are registered here as they
 * are. Responses are strict objects so that the conformance tests catch any undocumented field.
 */

const instant = z.iso.datetime({ offset: true });
const nullableInstant = instant.nullable();

export const codeUnitIdSchema = z.enum(CODE_UNIT_IDS).meta({ description: 'The code unit a queue runs.' });

const codeUnitDefinitionSchema = z.strictObject({
  id: codeUnitIdSchema,
  displayName: z.string(),
  description: z.string(),
  order: z.int().meta({ description: 'Position in the pipeline.' }),
});

const runLeaseSchema = z.strictObject({
  runId: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  attempt: z.int().min(1),
  startedAt: instant,
  expiresAt: instant.meta({ description: 'After it the lease is stale and the run is recorded as an Error.' }),
  previousStatus: z.enum(['Ready', 'OnHold', 'Error']),
});

const jobQueueEntrySchema = z.strictObject({
  ...entrySettingsSchema.shape,
  codeUnit: codeUnitIdSchema,
  id: z.string(),
  status: z.enum(ENTRY_STATUSES),
  nextRunAt: nullableInstant,
  nextRunTrigger: z.enum(['schedule', 'retry', 'restart']),
  attemptsMade: z.int().min(0),
  lease: runLeaseSchema.nullable(),
  lastRun: z
    .strictObject({ runId: z.string(), status: z.enum(RUN_STATUSES), finishedAt: instant, errorMessage: z.string().nullable() })
    .nullable(),
  createdAt: instant,
  updatedAt: instant,
  updatedBy: z.string().meta({ description: 'IAM principal ARN of the caller, `local-admin` in local mode, or `system:<component>`.' }),
  version: z.int().min(1).meta({ description: 'Optimistic-locking version; the ETag is this number in quotes.' }),
});

const scheduleSchema = z.strictObject({
  name: z.string(),
  codeUnit: codeUnitIdSchema,
  state: z.enum(['ENABLED', 'DISABLED']),
  expression: z.string().meta({ description: 'EventBridge Scheduler expression, e.g. at(2026-03-29T03:00:00).' }),
  timeZone: z.string(),
  input: z.strictObject({ codeUnit: codeUnitIdSchema, entryId: z.string(), trigger: z.enum(['schedule', 'retry', 'restart']), scheduledFor: instant }),
});

const entryCardSchema = z.strictObject({
  codeUnit: codeUnitDefinitionSchema,
  entry: jobQueueEntrySchema,
  nextRuns: z.array(instant).max(5).meta({ description: 'The next five run times, UTC.' }),
  schedule: scheduleSchema.nullable().meta({ description: 'The schedule as EventBridge Scheduler holds it; null when it is missing.' }),
});

const queueSummarySchema = z.strictObject({
  codeUnit: codeUnitIdSchema,
  displayName: z.string(),
  entry: z
    .strictObject({ description: z.string(), status: z.enum(ENTRY_STATUSES), nextRunAt: nullableInstant, minutesBetweenRuns: z.int() })
    .nullable()
    .meta({ description: 'null when the code unit has no entry yet (create it with POST /queues/{codeUnit}).' }),
});

const runLogEntrySchema = z.strictObject({
  codeUnit: codeUnitIdSchema,
  entryId: z.string(),
  runId: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  attempt: z.int().min(1),
  status: z.enum(RUN_STATUSES),
  startedAt: instant,
  finishedAt: nullableInstant,
  durationMs: z.int().min(0).nullable(),
  scheduledFor: nullableInstant,
  errorMessage: z.string().nullable(),
  errorStack: z.string().nullable(),
  skipReason: z.string().nullable(),
  counters: z.record(z.string(), z.number()).meta({ description: 'What the run did, as its code unit reported it.' }),
});

const fieldIssueSchema = z.strictObject({
  field: z.string().meta({ description: 'Dotted path of the field (`recurrence.startingTime`), `body`, a query parameter, or `(root)`.' }),
  reason: z.string(),
});

const schemaIssueSchema = z.strictObject({
  line: z.int().min(1).nullable().meta({ description: 'Line in the sent document; null for errors without one.' }),
  element: z.string().nullable().meta({ description: 'Local name of the element, e.g. `P_15`; null for parser errors.' }),
  message: z.string(),
});

const problemSchema = z
  .strictObject({
    type: z.url().meta({ description: `A stable URI under ${PROBLEM_BASE_URI}.` }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path.' }),
    errors: z.array(fieldIssueSchema).optional().meta({ description: 'Each bad field, on 400 responses.' }),
    schemaErrors: z
      .array(schemaIssueSchema)
      .max(MAX_SCHEMA_ERRORS)
      .optional()
      .meta({ description: `Every XML schema error of a refused invoice (the first ${MAX_SCHEMA_ERRORS}; \`detail\` gives the total).` }),
  })
  .meta({ description: 'RFC 9457 problem details.' });

/** Every schema of the document, by component name. */
export const API_SCHEMAS = {
  CodeUnitId: codeUnitIdSchema,
  CodeUnitDefinition: codeUnitDefinitionSchema,
  EntrySettings: entrySettingsSchema,
  EntrySettingsPatch: entrySettingsPatchSchema,
  SetStatusRequest: setStatusRequestSchema,
  RunLease: runLeaseSchema,
  JobQueueEntry: jobQueueEntrySchema,
  Schedule: scheduleSchema,
  EntryCard: entryCardSchema,
  QueueSummary: queueSummarySchema,
  QueueList: z.strictObject({ items: z.array(queueSummarySchema) }),
  RunLogEntry: runLogEntrySchema,
  RunPage: z.strictObject({
    items: z.array(runLogEntrySchema).meta({ description: 'Newest first.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  RunAccepted: z.strictObject({ runId: z.string() }),
  ...STATUS_SCHEMAS,
  ...NOTIFICATION_SCHEMAS,
  ...DOCUMENT_SCHEMAS,
  FieldIssue: fieldIssueSchema,
  SchemaIssue: schemaIssueSchema,
  Problem: problemSchema,
} as const;

export type ApiSchemaName = keyof typeof API_SCHEMAS;

/** The schemas as JSON Schema 2020-12 (OpenAPI 3.1's dialect), referring to each other by component. */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
  // Components live inside the document: their own $schema and $id would re-root their references.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}
