import type { CodeUnitDefinition, CodeUnitId } from '../domain/catalogue.js';
import type { JobQueueEntry, RunLogEntry } from '../domain/job-queue-entry.js';
import type { ActualSchedule } from '../ports/schedule-gateway.js';
import type { Page } from '../ports/run-log-repository.js';
import type { JobQueueDeps } from './deps.js';

/*
 * What admins do with job queue entries. Every function validates its input and throws the
 * domain errors (UnknownCodeUnitError, EntryNotFoundError, ValidationError, VersionConflictError,
 * IllegalTransitionError) that the API maps to problem+json.
 * TODO(use-case helper): implement; the signatures are the contract the API builds on.
 */

/** One row of the settings-page list: every code unit, with its entry's summary where one exists. */
export interface QueueSummary {
  readonly codeUnit: CodeUnitId;
  readonly displayName: string;
  readonly entry: {
    readonly description: string;
    readonly status: JobQueueEntry['status'];
    readonly nextRunAt: string | null;
    readonly minutesBetweenRuns: number;
  } | null;
}

/** The entry card: the entry, its code unit, the next five run times and the actual schedule. */
export interface EntryCard {
  readonly codeUnit: CodeUnitDefinition;
  readonly entry: JobQueueEntry;
  readonly nextRuns: string[];
  readonly schedule: ActualSchedule | null;
}

export type Actor = string;

export declare function listQueues(deps: JobQueueDeps): Promise<QueueSummary[]>;
/** Creates the entry with defaults, On Hold (created: true), or returns the existing one. */
export declare function ensureEntry(deps: JobQueueDeps, codeUnit: string, actor: Actor): Promise<{ card: EntryCard; created: boolean }>;
export declare function getEntryCard(deps: JobQueueDeps, codeUnit: string): Promise<EntryCard>;
/** `expectedVersion` comes from If-Match; undefined skips the check. */
export declare function updateEntrySettings(deps: JobQueueDeps, codeUnit: string, patch: unknown, expectedVersion: number | undefined, actor: Actor): Promise<EntryCard>;
export declare function setEntryStatus(deps: JobQueueDeps, codeUnit: string, status: unknown, actor: Actor, expectedVersion?: number): Promise<EntryCard>;
/** Run now, without shifting the schedule; answers with the run id before the run starts. */
export declare function requestRun(deps: JobQueueDeps, codeUnit: string, actor: Actor): Promise<{ runId: string }>;
export declare function listRuns(deps: JobQueueDeps, codeUnit: string, options: { limit?: unknown; cursor?: unknown }): Promise<Page<RunLogEntry>>;
export declare function getRun(deps: JobQueueDeps, codeUnit: string, runId: string): Promise<RunLogEntry>;
/** Refused (IllegalTransitionError) while InProcess; removes the schedule. */
export declare function deleteEntry(deps: JobQueueDeps, codeUnit: string, actor: Actor, expectedVersion?: number): Promise<void>;
