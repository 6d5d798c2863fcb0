import type { CodeUnitDefinition, CodeUnitId } from '../domain/catalogue.js';
import { CODE_UNIT_IDS, CODE_UNITS } from '../domain/catalogue.js';
import { EntryAlreadyExistsError, IllegalTransitionError, RunNotFoundError, ValidationError, VersionConflictError } from '../domain/errors.js';
import type { EntrySettings, JobQueueEntry, RunLogEntry } from '../domain/job-queue-entry.js';
import { previewRuns } from '../domain/schedule.js';
import { applySettingsPatch, defaultSettings, entrySettingsSchema } from '../domain/settings.js';
import { canDelete, moveToOnHold, moveToReady, withSettings } from '../domain/transitions.js';
import type { ActualSchedule } from '../ports/schedule-gateway.js';
import type { Page } from '../ports/run-log-repository.js';
import { applySchedule } from './apply-schedule.js';
import type { JobQueueDeps } from './deps.js';
import { changeEntry, checkVersion, codeUnitOf, requireEntry } from './entry-lookup.js';

/*
 * What admins do with job queue entries. Every function validates its input and throws the
 * domain errors (UnknownCodeUnitError, EntryNotFoundError, ValidationError, VersionConflictError,
 * IllegalTransitionError) that the API maps to problem+json.
 * The signatures are the contract the API builds on.
 *
 * Consistency of an entry and its schedule: the entry (DynamoDB) is the source of truth and is
 * always written first, with a conditional write; the schedule is put after it from
 * desiredSchedule(entry). A put that fails is logged and left to the reconciler, which compares
 * every entry with its schedule and repairs drift (reconcile-schedules.ts).
 *
 * Status requests while the entry is InProcess (decisions):
 * - OnHold is accepted: the run is not killed, the schedule is disabled at once, and the entry goes
 *   OnHold when its run ends (stopping a queue must always be possible);
 * - Ready is accepted when the run already returns to Ready, else refused (409): set it Ready after the run;
 * - settings edits and deletion are refused (409) until the run ends.
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

const PAGE_LIMIT = { default: 20, min: 1, max: 100 } as const;
const SETTABLE_STATUSES = ['Ready', 'OnHold'] as const;

function summaryOf(entry: JobQueueEntry | undefined): QueueSummary['entry'] {
  if (entry === undefined) return null;
  return {
    description: entry.description,
    status: entry.status,
    nextRunAt: entry.nextRunAt,
    minutesBetweenRuns: entry.recurrence.minutesBetweenRuns,
  };
}

async function cardOf(deps: JobQueueDeps, entry: JobQueueEntry): Promise<EntryCard> {
  const from = entry.nextRunAt === null ? deps.clock.now() : new Date(entry.nextRunAt);
  return {
    codeUnit: CODE_UNITS[entry.codeUnit],
    entry,
    nextRuns: previewRuns(entry, from, 5).map((run) => run.toISOString()),
    schedule: (await deps.schedules.get(entry.codeUnit)) ?? null,
  };
}

export async function listQueues(deps: JobQueueDeps): Promise<QueueSummary[]> {
  const entries = new Map((await deps.entries.list()).map((entry) => [entry.codeUnit, entry]));
  return [...CODE_UNIT_IDS]
    .sort((a, b) => CODE_UNITS[a].order - CODE_UNITS[b].order)
    .map((codeUnit) => ({ codeUnit, displayName: CODE_UNITS[codeUnit].displayName, entry: summaryOf(entries.get(codeUnit)) }));
}

/** The admin-editable part of an entry; the settings schema names the fields, so new settings follow it. */
function settingsOf(entry: JobQueueEntry): EntrySettings {
  const fields = new Set(Object.keys(entrySettingsSchema.shape));
  return Object.fromEntries(Object.entries(entry).filter(([field]) => fields.has(field))) as unknown as EntrySettings;
}

function newEntry(deps: JobQueueDeps, codeUnit: CodeUnitId, actor: Actor): JobQueueEntry {
  const now = deps.clock.now().toISOString();
  return {
    ...defaultSettings(codeUnit),
    codeUnit,
    id: deps.ids.entryId(),
    status: 'OnHold',
    nextRunAt: null,
    nextRunTrigger: 'schedule',
    attemptsMade: 0,
    lease: null,
    lastRun: null,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor,
    version: 1,
  };
}

/** Creates the entry with defaults, On Hold (created: true), or returns the existing one. */
export async function ensureEntry(deps: JobQueueDeps, codeUnit: string, actor: Actor): Promise<{ card: EntryCard; created: boolean }> {
  const id = codeUnitOf(codeUnit);
  const existing = await deps.entries.get(id);
  if (existing !== undefined) return { card: await cardOf(deps, existing), created: false };
  try {
    const created = await deps.entries.create(newEntry(deps, id, actor));
    await applySchedule(deps, created);
    return { card: await cardOf(deps, created), created: true };
  } catch (error) {
    // A concurrent call created it first (the create is conditional): that one is the entry.
    if (error instanceof EntryAlreadyExistsError) return { card: await cardOf(deps, error.existing as JobQueueEntry), created: false };
    throw error;
  }
}

export async function getEntryCard(deps: JobQueueDeps, codeUnit: string): Promise<EntryCard> {
  return cardOf(deps, await requireEntry(deps.entries, codeUnitOf(codeUnit)));
}

/** `expectedVersion` comes from If-Match; undefined skips the check. */
export async function updateEntrySettings(
  deps: JobQueueDeps,
  codeUnit: string,
  patch: unknown,
  expectedVersion: number | undefined,
  actor: Actor,
): Promise<EntryCard> {
  const id = codeUnitOf(codeUnit);
  const stored = await changeEntry(deps.entries, id, expectedVersion, (entry) => {
    if (entry.status === 'InProcess') {
      throw new IllegalTransitionError('InProcess', 'InProcess', 'Settings cannot change while the entry is running; try again when the run has finished.');
    }
    return withSettings(entry, applySettingsPatch(settingsOf(entry), patch), deps.clock.now(), actor);
  });
  await applySchedule(deps, stored);
  return cardOf(deps, stored);
}

function settableStatus(status: unknown): (typeof SETTABLE_STATUSES)[number] {
  if (typeof status === 'string' && (SETTABLE_STATUSES as readonly string[]).includes(status)) return status as (typeof SETTABLE_STATUSES)[number];
  throw new ValidationError([{ field: 'status', reason: `must be one of ${SETTABLE_STATUSES.map((s) => JSON.stringify(s)).join(', ')}` }]);
}

/**
 * Ready for an entry that can never run again: its expiresAt is before any run its settings allow.
 * The domain keeps such an entry Ready with no next run when it expires on its own (after a run),
 * but an admin who asks for Ready means "run it"; answering 200 with a Ready entry that never runs
 * hides that, so the request is refused (409) and names the setting to change.
 */
function refuseReadyWhenExpired(entry: JobQueueEntry, next: JobQueueEntry, now: Date): void {
  if (next.status !== 'Ready' || next.nextRunAt !== null || entry.expiresAt === null) return;
  const when = Date.parse(entry.expiresAt) <= now.getTime() ? `expired at ${entry.expiresAt}` : `expires at ${entry.expiresAt}, before the first run its settings allow`;
  throw new IllegalTransitionError(
    entry.status,
    'Ready',
    `The entry ${when}, so it would be Ready and never run. Change expiresAt first (PATCH /queues/${entry.codeUnit} with a later expiresAt, or null for never), then set it Ready.`,
  );
}

export async function setEntryStatus(deps: JobQueueDeps, codeUnit: string, status: unknown, actor: Actor, expectedVersion?: number): Promise<EntryCard> {
  const id = codeUnitOf(codeUnit);
  const target = settableStatus(status);
  const move = target === 'Ready' ? moveToReady : moveToOnHold;
  const stored = await changeEntry(deps.entries, id, expectedVersion, (entry) => {
    const now = deps.clock.now();
    const next = move(entry, now, actor);
    if (target === 'Ready') refuseReadyWhenExpired(entry, next, now);
    return next;
  });
  // Also when nothing changed: a repeated request repairs a drifted schedule at once.
  await applySchedule(deps, stored);
  return cardOf(deps, stored);
}

/** Run now, without shifting the schedule; answers with the run id before the run starts. */
export async function requestRun(deps: JobQueueDeps, codeUnit: string, actor: Actor): Promise<{ runId: string }> {
  const entry = await requireEntry(deps.entries, codeUnitOf(codeUnit));
  const runId = deps.ids.runId(deps.clock.now());
  // The run itself takes the lease, or logs a Skipped row under this id when a run holds it.
  await deps.launcher.launch({ codeUnit: entry.codeUnit, entryId: entry.id, trigger: 'manual', runId, requestedBy: actor });
  return { runId };
}

function pageLimit(limit: unknown): number {
  if (limit === undefined || limit === null || limit === '') return PAGE_LIMIT.default;
  const value = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : limit;
  if (typeof value === 'number' && Number.isInteger(value) && value >= PAGE_LIMIT.min && value <= PAGE_LIMIT.max) return value;
  throw new ValidationError([{ field: 'limit', reason: `must be a whole number from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}` }]);
}

function pageCursor(cursor: unknown): string | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  if (typeof cursor === 'string') return cursor;
  throw new ValidationError([{ field: 'cursor', reason: 'must be the nextCursor of a previous page' }]);
}

/** The run log, newest first. The log outlives its entry, so no entry is needed to read it. */
export async function listRuns(deps: JobQueueDeps, codeUnit: string, options: { limit?: unknown; cursor?: unknown }): Promise<Page<RunLogEntry>> {
  const id = codeUnitOf(codeUnit);
  return deps.runs.list(id, { limit: pageLimit(options.limit), cursor: pageCursor(options.cursor) });
}

export async function getRun(deps: JobQueueDeps, codeUnit: string, runId: string): Promise<RunLogEntry> {
  const id = codeUnitOf(codeUnit);
  const row = await deps.runs.get(id, runId);
  if (row === undefined) throw new RunNotFoundError(id, runId);
  return row;
}

/** Refused (IllegalTransitionError) while InProcess; removes the schedule. */
export async function deleteEntry(deps: JobQueueDeps, codeUnit: string, actor: Actor, expectedVersion?: number): Promise<void> {
  const id = codeUnitOf(codeUnit);
  for (let round = 1; ; round += 1) {
    const entry = await requireEntry(deps.entries, id);
    checkVersion(entry, expectedVersion);
    if (!canDelete(entry)) {
      throw new IllegalTransitionError(entry.status, 'deleted', 'The entry is running; delete it when the run has finished (or put it On Hold first).');
    }
    try {
      await deps.entries.delete(id, entry.version);
      break;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || expectedVersion !== undefined || round >= 5) throw error;
    }
  }
  deps.logger.info('Entry deleted.', { codeUnit: id, actor });
  // Entry first, schedule second: a schedule left behind is an orphan that the reconciler removes,
  // and if it fires before that, the run finds no entry and logs a Skipped row.
  try {
    await deps.schedules.remove(id);
  } catch (error) {
    deps.logger.error('The schedule was not removed; the reconciler will remove it.', { codeUnit: id, error });
  }
}
