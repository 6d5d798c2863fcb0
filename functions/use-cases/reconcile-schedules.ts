import type { CodeUnitId } from '../domain/catalogue.js';
import { VersionConflictError } from '../domain/errors.js';
import type { JobQueueEntry } from '../domain/job-queue-entry.js';
import { describeError } from '../domain/retry-policy.js';
import { desiredSchedule, type DesiredSchedule } from '../domain/schedule.js';
import { hasPendingRestart, isLeaseStale, rescheduleMissedRun, restartMissed, withRestartScheduled } from '../domain/transitions.js';
import type { ActualSchedule } from '../ports/schedule-gateway.js';
import type { JobQueueDeps, RunNotifierDeps } from './deps.js';
import { recoverStaleLease } from './recover-stale-lease.js';

/*
 * The reconciler: the watchdog's core. Entries (DynamoDB) are the source of truth; schedules follow
 * them. Every use case writes the entry first and puts the schedule second, so the two drift apart
 * only when that second step fails or a process dies between the steps. One pass:
 *  - a stale InProcess lease is ended (its run recorded as an Error, the entry retried or in Error);
 *  - a Ready entry whose next run is more than MISSED_RUN_GRACE_MS in the past did not run (a lost
 *    delivery, a schedule that was missing): it is moved to now, so it runs once; never a burst;
 *  - an entry in Error whose automatic restart is more than MISSED_RUN_GRACE_MS overdue was not
 *    restarted (N24's 5-minute watchdog): it is set Ready now (attempts reset) and runs once as soon
 *    as its window allows, logged as a restart; an entry in Error with autoRestart on but no restart
 *    pending (autoRestart switched on later) gets its restart scheduled;
 *  - every entry's schedule is compared with desiredSchedule(entry) and put when missing or different
 *    ("Ready but not scheduled" is Business Central's classic failure);
 *  - schedules without an entry (orphans, e.g. a failed remove after a delete) are removed.
 * Entries that are OnHold are never written (an admin's pause wins), nor entries in Error with
 * autoRestart off; only their schedule is made to match (DISABLED). A failure on one entry is
 * reported and does not stop the pass. A stale lease that ends as a final failure is e-mailed
 * through deps.notify, as the run would have been.
 */

export const REPAIR_KINDS = [
  'stale-lease-expired',
  'missed-run-rescheduled',
  'restart-missed',
  'restart-scheduled',
  'schedule-created',
  'schedule-updated',
  'orphan-removed',
] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

export interface Repair {
  readonly codeUnit: CodeUnitId;
  readonly kind: RepairKind;
  readonly detail: string;
}

export interface ReconcileReport {
  readonly checkedAt: string;
  readonly entriesChecked: number;
  readonly repairs: readonly Repair[];
  readonly counts: Readonly<Record<RepairKind, number>>;
  /** Entries or schedules that could not be checked or repaired this time (the next pass tries again). */
  readonly failures: ReadonlyArray<{ readonly codeUnit: CodeUnitId; readonly message: string }>;
}

export type ReconcilerDeps = Pick<JobQueueDeps, 'entries' | 'runs' | 'schedules' | 'clock' | 'logger'> & RunNotifierDeps;

export interface ReconcileOptions {
  /** A Ready entry whose next run (an Error entry whose restart) is older than this did not run. Default 5 minutes. */
  readonly missedRunGraceMs?: number;
  /** Jitter for the retry of an expired lease, [0, 1). */
  readonly random?: () => number;
}

export const MISSED_RUN_GRACE_MS = 5 * 60_000;

const RECONCILER_ACTOR = 'system:reconciler';

export async function reconcileSchedules(deps: ReconcilerDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const repairs: Repair[] = [];
  const failures: { codeUnit: CodeUnitId; message: string }[] = [];
  // Schedules before entries: an entry created in between then has its schedule put again
  // (harmless) instead of its fresh schedule being taken for an orphan.
  const actual = new Map((await deps.schedules.list()).map((schedule) => [schedule.codeUnit, schedule]));
  const entries = await deps.entries.list();

  for (const listed of entries) {
    try {
      repairs.push(...(await reconcileEntry(deps, listed, actual.get(listed.codeUnit), now, options)));
    } catch (error) {
      failures.push({ codeUnit: listed.codeUnit, message: describeError(error).message });
    }
  }

  const withEntry = new Set(entries.map((entry) => entry.codeUnit));
  for (const orphan of [...actual.values()].filter((schedule) => !withEntry.has(schedule.codeUnit))) {
    try {
      // Created since the list? Then it is not an orphan.
      if ((await deps.entries.get(orphan.codeUnit)) !== undefined) continue;
      await deps.schedules.remove(orphan.codeUnit);
      repairs.push({ codeUnit: orphan.codeUnit, kind: 'orphan-removed', detail: `schedule '${orphan.name}' had no entry` });
    } catch (error) {
      failures.push({ codeUnit: orphan.codeUnit, message: describeError(error).message });
    }
  }

  const counts = Object.fromEntries(REPAIR_KINDS.map((kind) => [kind, repairs.filter((r) => r.kind === kind).length])) as Record<RepairKind, number>;
  return { checkedAt: now.toISOString(), entriesChecked: entries.length, repairs, counts, failures };
}

async function reconcileEntry(
  deps: ReconcilerDeps,
  listed: JobQueueEntry,
  actual: ActualSchedule | undefined,
  now: Date,
  options: ReconcileOptions,
): Promise<Repair[]> {
  const repairs: Repair[] = [];
  let entry: JobQueueEntry | undefined = listed;

  if (isLeaseStale(entry, now)) {
    const runId = entry.lease?.runId ?? 'unknown';
    const recovered = await recoverStaleLease(deps, entry, now, options.random ?? Math.random);
    if (recovered !== undefined) {
      repairs.push({ codeUnit: entry.codeUnit, kind: 'stale-lease-expired', detail: `run '${runId}' recorded as an Error; entry now ${recovered.status}` });
      // recoverStaleLease put the schedule itself.
      return repairs;
    }
    entry = await deps.entries.get(listed.codeUnit);
  }

  const graceMs = options.missedRunGraceMs ?? MISSED_RUN_GRACE_MS;
  if (entry?.status === 'Error') {
    const repaired = await repairRestart(deps, entry, now, graceMs);
    if (repaired.repair !== null) repairs.push(repaired.repair);
    entry = repaired.entry;
  }
  if (entry?.status === 'Ready' && entry.nextRunAt !== null && now.getTime() - Date.parse(entry.nextRunAt) > graceMs) {
    const missed = entry.nextRunAt;
    try {
      entry = await deps.entries.update(rescheduleMissedRun(entry, now, RECONCILER_ACTOR), entry.version);
      repairs.push({ codeUnit: entry.codeUnit, kind: 'missed-run-rescheduled', detail: `run due at ${missed} did not happen; runs once at ${entry.nextRunAt ?? 'no time'}` });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Changed meanwhile (it ran, or an admin acted): judge the fresh entry on the next pass.
      entry = await deps.entries.get(listed.codeUnit);
    }
  }

  if (entry === undefined) return repairs;
  const desired = desiredSchedule(entry);
  if (actual === undefined) {
    await deps.schedules.put(desired);
    repairs.push({ codeUnit: entry.codeUnit, kind: 'schedule-created', detail: `missing; put ${desired.state} ${desired.expression}` });
    return repairs;
  }
  const difference = differenceOf(desired, actual);
  if (difference !== null) {
    await deps.schedules.put(desired);
    // A rescheduled missed run moves its schedule as part of that repair.
    if (repairs.length === 0) repairs.push({ codeUnit: entry.codeUnit, kind: 'schedule-updated', detail: difference });
  }
  return repairs;
}

/**
 * An entry in Error: its overdue restart is done now (Ready, runs once), or a missing restart is
 * scheduled. No repair when nothing was due, or when the entry changed meanwhile (the next pass judges it).
 */
async function repairRestart(
  deps: ReconcilerDeps,
  entry: JobQueueEntry,
  now: Date,
  graceMs: number,
): Promise<{ readonly entry: JobQueueEntry | undefined; readonly repair: Repair | null }> {
  const overdue = hasPendingRestart(entry) && now.getTime() - Date.parse(entry.nextRunAt ?? '') > graceMs;
  const next = overdue ? restartMissed(entry, now, RECONCILER_ACTOR) : withRestartScheduled(entry, now, RECONCILER_ACTOR);
  if (next === entry) return { entry, repair: null };
  try {
    const stored = await deps.entries.update(next, entry.version);
    const detail = overdue
      ? `restart due at ${entry.nextRunAt ?? 'unknown'} did not happen; set Ready, runs once at ${stored.nextRunAt ?? 'no time'}`
      : `autoRestart is on but no restart was pending; restart at ${stored.nextRunAt ?? 'no time'}`;
    return { entry: stored, repair: { codeUnit: entry.codeUnit, kind: overdue ? 'restart-missed' : 'restart-scheduled', detail } };
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    return { entry: await deps.entries.get(entry.codeUnit), repair: null };
  }
}

/** What differs between the schedule an entry should have and the one it has, or null. */
function differenceOf(desired: DesiredSchedule, actual: ActualSchedule): string | null {
  const fields: string[] = [];
  if (desired.state !== actual.state) fields.push(`state ${actual.state} → ${desired.state}`);
  if (desired.expression !== actual.expression || desired.timeZone !== actual.timeZone) {
    fields.push(`time ${actual.expression} ${actual.timeZone} → ${desired.expression} ${desired.timeZone}`);
  }
  const [a, d] = [actual.input, desired.input];
  if (a.entryId !== d.entryId || a.trigger !== d.trigger || a.codeUnit !== d.codeUnit || Date.parse(a.scheduledFor) !== Date.parse(d.scheduledFor)) {
    fields.push('input');
  }
  return fields.length === 0 ? null : fields.join('; ');
}
