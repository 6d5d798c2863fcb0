import type { EntryStatus, JobQueueEntry, RunLogEntry } from '../domain/job-queue-entry.js';
import { notificationOutcomeOf } from '../domain/notification-policy.js';
import type { Logger } from '../ports/logger.js';
import type { RunNotifierDeps } from './deps.js';

/** A run that held the lease and has ended, as the runner or the stale-lease recovery stored it. */
export interface EndedRun {
  /** Where the lease said the entry returns, read when the run was finished. */
  readonly previousStatus: Exclude<EntryStatus, 'InProcess'>;
  /** The completed run-log row. */
  readonly row: RunLogEntry;
  /** The entry as stored after the run (with its retry or pending restart). */
  readonly entry: JobQueueEntry;
}

/**
 * Tells the notifier how a run ended: a final failure (with the automatic restart, if one is
 * pending) or a success (a recovery e-mail when a failure e-mail went out). A failed attempt that
 * will be retried tells nobody (not even the store: it would change nothing), nor does a manual run
 * on an entry that was OnHold or in Error. Never throws: e-mail must not change a run's outcome.
 */
export async function tellRunOutcome(deps: RunNotifierDeps & { readonly logger: Logger }, ended: EndedRun): Promise<void> {
  if (deps.notify === undefined) return;
  const outcome = notificationOutcomeOf({ previousStatus: ended.previousStatus, runStatus: ended.row.status, entryAfter: ended.entry });
  if (outcome === null || outcome === 'retry-scheduled') return;
  const { entry } = ended;
  try {
    await deps.notify({
      entry,
      run: ended.row,
      outcome,
      ...(outcome === 'final-failure' ? { restartAt: entry.nextRunTrigger === 'restart' ? entry.nextRunAt : null } : {}),
    });
  } catch (error) {
    deps.logger.error(`The ${outcome} notification failed.`, { codeUnit: entry.codeUnit, runId: ended.row.runId, error });
  }
}
