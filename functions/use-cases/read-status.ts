import { CODE_UNIT_IDS, CODE_UNITS, type CodeUnitId } from '../domain/catalogue.js';
import type { DocumentStatus, OutgoingDocument } from '../domain/documents.js';
import type { JobQueueEntry, RunTrigger } from '../domain/job-queue-entry.js';
import { PURCHASE_STREAM } from '../code-units/incoming-documents/incoming-documents.js';
import type { NotificationStore } from '../ports/notification-store.js';
import type { SyncStateRepository } from '../ports/sync-state-repository.js';
import type { JobQueueDeps } from './deps.js';
import type { DocumentDeps } from './document-deps.js';

/*
 * GET /status: the state of the whole system in one read, for the console's home page and
 * `ksefq status`. Its cost does not grow with history: five entries, five notification states,
 * one sync mark, and per working status a COUNT query and one item. Accepted documents, whose
 * number only grows, are not counted here.
 */

/** The statuses in which a document is still on its way or waits for a person. */
export const WORKING_STATUSES = ['Pending', 'Held', 'Sending', 'Sent', 'Rejected'] as const satisfies readonly DocumentStatus[];

export interface QueueStatus {
  readonly codeUnit: CodeUnitId;
  readonly displayName: string;
  /** null when the code unit has no entry yet. */
  readonly entry: {
    readonly description: string;
    readonly status: JobQueueEntry['status'];
    readonly nextRunAt: string | null;
    readonly nextRunTrigger: JobQueueEntry['nextRunTrigger'];
    readonly minutesBetweenRuns: number;
    readonly attemptsMade: number;
    readonly maxAttempts: number;
    readonly runInProgress: { readonly runId: string; readonly trigger: RunTrigger; readonly startedAt: string } | null;
    readonly lastRun: JobQueueEntry['lastRun'];
    /** The first final failure of the current failure streak; null while the queue is healthy. */
    readonly failingSince: string | null;
    /** Final failures in a row (each after its retries). */
    readonly consecutiveFailures: number;
  } | null;
}

export interface DocumentStatusSummary {
  readonly status: (typeof WORKING_STATUSES)[number];
  readonly count: number;
  /** The first document in sending order (oldest issue date) and since when it is in this status. */
  readonly oldest: {
    readonly documentId: string;
    readonly invoiceNumber: string;
    readonly issueDate: string;
    readonly since: string;
    readonly ageSeconds: number;
  } | null;
}

export interface SystemStatus {
  readonly generatedAt: string;
  readonly queues: readonly QueueStatus[];
  /** null when the documents part of the API is not configured on this deployment. */
  readonly documents: { readonly byStatus: readonly DocumentStatusSummary[] } | null;
  /** Purchase invoices: where the incoming-documents sync stands; null when not configured. */
  readonly incoming: { readonly syncMark: string | null; readonly syncedAt: string | null } | null;
}

export interface StatusDeps extends JobQueueDeps {
  readonly notifications?: NotificationStore;
  readonly documents?: Pick<DocumentDeps, 'documents'> & { readonly syncState?: SyncStateRepository };
}

export async function readSystemStatus(deps: StatusDeps): Promise<SystemStatus> {
  const now = deps.clock.now();
  const [entries, failures, documents, incoming] = await Promise.all([
    deps.entries.list(),
    Promise.all(CODE_UNIT_IDS.map(async (codeUnit) => [codeUnit, await deps.notifications?.getState(codeUnit)] as const)),
    deps.documents === undefined ? null : Promise.all(WORKING_STATUSES.map((status) => summarizeStatus(deps.documents!.documents, status, now))),
    deps.documents?.syncState === undefined ? null : deps.documents.syncState.get(PURCHASE_STREAM),
  ]);
  const byCodeUnit = new Map(entries.map((entry) => [entry.codeUnit, entry]));
  const failureOf = new Map(failures);
  const queues = [...CODE_UNIT_IDS]
    .sort((a, b) => CODE_UNITS[a].order - CODE_UNITS[b].order)
    .map((codeUnit): QueueStatus => {
      const entry = byCodeUnit.get(codeUnit);
      const failure = failureOf.get(codeUnit);
      return {
        codeUnit,
        displayName: CODE_UNITS[codeUnit].displayName,
        entry:
          entry === undefined
            ? null
            : {
                description: entry.description,
                status: entry.status,
                nextRunAt: entry.nextRunAt,
                nextRunTrigger: entry.nextRunTrigger,
                minutesBetweenRuns: entry.recurrence.minutesBetweenRuns,
                attemptsMade: entry.attemptsMade,
                maxAttempts: entry.maxAttempts,
                runInProgress: entry.status === 'InProcess' && entry.lease !== null ? { runId: entry.lease.runId, trigger: entry.lease.trigger, startedAt: entry.lease.startedAt } : null,
                lastRun: entry.lastRun,
                failingSince: failure?.failingSince ?? null,
                consecutiveFailures: failure?.consecutiveFailures ?? 0,
              },
      };
    });
  return {
    generatedAt: now.toISOString(),
    queues,
    documents: documents === null ? null : { byStatus: documents },
    incoming: deps.documents?.syncState === undefined ? null : { syncMark: incoming?.mark ?? null, syncedAt: incoming?.updatedAt ?? null },
  };
}

export async function summarizeStatus(documents: DocumentDeps['documents'], status: DocumentStatusSummary['status'], now: Date): Promise<DocumentStatusSummary> {
  const { count, first } = await documents.summarize(status);
  if (first === undefined) return { status, count, oldest: null };
  const since = inStatusSince(first);
  return {
    status,
    count,
    oldest: {
      documentId: first.id,
      invoiceNumber: first.fields.invoiceNumber,
      issueDate: first.fields.issueDate,
      since,
      ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000)),
    },
  };
}

/** When the document entered its current status: the last history entry that moved it there. */
function inStatusSince(doc: OutgoingDocument): string {
  let since = doc.updatedAt;
  for (let i = doc.history.length - 1; i >= 0; i--) {
    const entry = doc.history[i];
    if (entry === undefined || entry.status !== doc.status) break;
    since = entry.at;
  }
  return since;
}
