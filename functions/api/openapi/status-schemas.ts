import * as z from 'zod';
import { CODE_UNIT_IDS } from '../../domain/catalogue.js';
import { ENTRY_STATUSES, RUN_STATUSES, RUN_TRIGGERS } from '../../domain/job-queue-entry.js';
import { WORKING_STATUSES } from '../../use-cases/read-status.js';

/* What GET /status answers (use-cases/read-status.ts), for the OpenAPI document. */

const instant = z.iso.datetime({ offset: true });

const queueStatusSchema = z.strictObject({
  codeUnit: z.enum(CODE_UNIT_IDS),
  displayName: z.string(),
  entry: z
    .strictObject({
      description: z.string(),
      status: z.enum(ENTRY_STATUSES),
      nextRunAt: instant.nullable(),
      nextRunTrigger: z.enum(['schedule', 'retry', 'restart']),
      minutesBetweenRuns: z.int(),
      attemptsMade: z.int().min(0),
      maxAttempts: z.int().min(1),
      runInProgress: z
        .strictObject({ runId: z.string(), trigger: z.enum(RUN_TRIGGERS), startedAt: instant })
        .nullable()
        .meta({ description: 'The run holding the lease while the entry is InProcess.' }),
      lastRun: z
        .strictObject({ runId: z.string(), status: z.enum(RUN_STATUSES), finishedAt: instant, errorMessage: z.string().nullable() })
        .nullable(),
      failingSince: instant.nullable().meta({ description: 'The first final failure of the current failure streak; null while the queue is healthy.' }),
      consecutiveFailures: z.int().min(0).meta({ description: 'Final failures in a row, each after its retries.' }),
    })
    .nullable()
    .meta({ description: 'null when the code unit has no entry yet.' }),
});

const documentStatusSummarySchema = z.strictObject({
  status: z.enum(WORKING_STATUSES),
  count: z.int().min(0),
  oldest: z
    .strictObject({
      documentId: z.string(),
      invoiceNumber: z.string(),
      issueDate: z.iso.date(),
      since: instant.meta({ description: 'When it entered this status.' }),
      ageSeconds: z.int().min(0),
    })
    .nullable()
    .meta({ description: 'The first document in sending order (oldest issue date); null when there is none.' }),
});

export const STATUS_SCHEMAS = {
  QueueStatus: queueStatusSchema,
  DocumentStatusSummary: documentStatusSummarySchema,
  SystemStatus: z.strictObject({
    generatedAt: instant,
    queues: z.array(queueStatusSchema).meta({ description: 'The five queues in pipeline order.' }),
    documents: z
      .strictObject({ byStatus: z.array(documentStatusSummarySchema) })
      .nullable()
      .meta({
        description:
          'Documents in each working status (Pending, Held, Sending, Sent, Rejected) with the oldest; Accepted documents, whose number only grows, are not counted. null when documents are not configured.',
      }),
    incoming: z
      .strictObject({
        syncMark: instant.nullable().meta({ description: 'Purchase invoices are fetched up to this instant (KSeF permanent-storage time).' }),
        syncedAt: instant.nullable().meta({ description: 'When the mark last moved.' }),
      })
      .nullable(),
  }),
} as const;
