import type { CodeUnitId } from '../domain/catalogue.js';
import { isCodeUnitId } from '../domain/catalogue.js';
import { EntryNotFoundError, UnknownCodeUnitError, VersionConflictError } from '../domain/errors.js';
import type { JobQueueEntry } from '../domain/job-queue-entry.js';
import type { EntryRepository } from '../ports/entry-repository.js';

/** The code unit named in a request, or UnknownCodeUnitError. */
export function codeUnitOf(value: string): CodeUnitId {
  if (!isCodeUnitId(value)) throw new UnknownCodeUnitError(value);
  return value;
}

/** The stored entry, or EntryNotFoundError. */
export async function requireEntry(entries: EntryRepository, codeUnit: CodeUnitId): Promise<JobQueueEntry> {
  const entry = await entries.get(codeUnit);
  if (entry === undefined) throw new EntryNotFoundError(codeUnit);
  return entry;
}

/** The If-Match check: the caller edits the version it read, or VersionConflictError. */
export function checkVersion(entry: JobQueueEntry, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && entry.version !== expectedVersion) {
    throw new VersionConflictError(expectedVersion, entry.version);
  }
}

/** How often a change without If-Match is re-applied after losing to a concurrent write (a run finishing). */
const MAX_ROUNDS = 5;

/**
 * Reads the entry, applies `change` and writes it conditionally. With an expected version (If-Match)
 * a lost write is the caller's VersionConflictError; without one the change is re-applied to the
 * fresh entry, so that an admin's request does not fail because a run finished meanwhile.
 * `change` returning the same object means nothing to write.
 */
export async function changeEntry(
  entries: EntryRepository,
  codeUnit: CodeUnitId,
  expectedVersion: number | undefined,
  change: (entry: JobQueueEntry) => JobQueueEntry,
): Promise<JobQueueEntry> {
  for (let round = 1; ; round += 1) {
    const entry = await requireEntry(entries, codeUnit);
    checkVersion(entry, expectedVersion);
    const next = change(entry);
    if (next === entry) return entry;
    try {
      return await entries.update(next, entry.version);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || expectedVersion !== undefined || round >= MAX_ROUNDS) throw error;
    }
  }
}
