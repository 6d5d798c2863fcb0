import { VersionConflictError } from '../domain/errors.js';
import type { JobQueueEntry, RunLogEntry } from '../domain/job-queue-entry.js';
import { expireStaleLease, finishRun, isLeaseStale, staleLeaseMessage } from '../domain/transitions.js';
import type { JobQueueDeps, RunNotifierDeps } from './deps.js';
import { applySchedule } from './apply-schedule.js';
import { StaleLeaseError } from './run-errors.js';
import { retryVerdict } from './retry-verdict.js';
import { tellRunOutcome } from './tell-run-outcome.js';

export type StaleLeaseDeps = Pick<JobQueueDeps, 'entries' | 'runs' | 'schedules' | 'logger'> & RunNotifierDeps;

export const STALE_LEASE_ACTOR = 'system:stale-lease';

/**
 * Ends a stale lease (Business Central's FindStaleJobsAndSetError, done at once instead of weekly):
 * 1. the run's log row is completed as an Error, or written as one when the run crashed before
 *    writing it; a row the run did complete (it crashed after that) is believed instead;
 * 2. the entry is released with a conditional write: a failed attempt retries after the rerun
 *    delay while attempts remain, else Error (with its automatic restart pending when autoRestart is
 *    on); a completed Success row finishes it as a success;
 * 3. its schedule is put;
 * 4. the notifier is told, as the run itself would have (a final failure mails, a retry does not).
 * Returns the stored entry, or undefined when the entry changed meanwhile (the caller re-reads).
 */
export async function recoverStaleLease(deps: StaleLeaseDeps, entry: JobQueueEntry, now: Date, random: () => number): Promise<JobQueueEntry | undefined> {
  const lease = entry.lease;
  if (!isLeaseStale(entry, now)) return undefined;
  const row = lease === null ? undefined : await recordStaleRow(deps, entry, now);
  let next: JobQueueEntry;
  if (lease !== null && row?.status === 'Success') {
    next = finishRun(entry, { kind: 'success', runId: lease.runId, counters: row.counters }, now, null, STALE_LEASE_ACTOR);
  } else {
    const message = row?.errorMessage ?? staleLeaseMessage(entry);
    next = expireStaleLease(entry, now, retryVerdict(entry, lease?.attempt ?? entry.attemptsMade + 1, new StaleLeaseError(message), random));
  }
  let stored: JobQueueEntry;
  try {
    stored = await deps.entries.update(next, entry.version);
  } catch (error) {
    if (error instanceof VersionConflictError) return undefined;
    throw error;
  }
  await applySchedule(deps, stored);
  if (lease !== null && row !== undefined) await tellRunOutcome(deps, { previousStatus: lease.previousStatus, row, entry: stored });
  return stored;
}

/** The stale run's row as it ends up: completed as Error now, or as the run itself left it. */
async function recordStaleRow(deps: StaleLeaseDeps, entry: JobQueueEntry, now: Date): Promise<RunLogEntry> {
  const lease = entry.lease;
  if (lease === null) throw new StaleLeaseError('The entry has no lease.');
  const existing = await deps.runs.get(entry.codeUnit, lease.runId);
  if (existing && existing.status !== 'InProcess') return existing;
  const failed: RunLogEntry = {
    codeUnit: entry.codeUnit,
    entryId: entry.id,
    runId: lease.runId,
    trigger: lease.trigger,
    attempt: lease.attempt,
    scheduledFor: null,
    counters: {},
    ...existing,
    status: 'Error',
    startedAt: existing?.startedAt ?? lease.startedAt,
    finishedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - Date.parse(existing?.startedAt ?? lease.startedAt)),
    errorMessage: staleLeaseMessage(entry),
    errorStack: null,
    skipReason: null,
  };
  try {
    return existing ? await deps.runs.complete(failed) : (await deps.runs.start(failed), failed);
  } catch (error) {
    // Someone else completed or wrote it meanwhile (the run itself, or another recoverer): believe the store.
    const stored = await deps.runs.get(entry.codeUnit, lease.runId);
    if (stored && stored.status !== 'InProcess') return stored;
    throw error;
  }
}
