import type { RunLogEntry } from '../../functions/domain/job-queue-entry.js';

/** A run id in the IdGenerator format (`YYYYMMDDTHHmmssSSSZ-<8 hex>`) for the instant `at`. */
export function makeRunId(at: Date | string, suffix = 0): string {
  const iso = new Date(at).toISOString();
  const stamp = iso.replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${suffix.toString(16).padStart(8, '0')}`;
}

/** A run-log row as written at the start of a scheduled run; override what matters. */
export function makeRunLogEntry(overrides: Partial<RunLogEntry> = {}): RunLogEntry {
  const startedAt = overrides.startedAt ?? '2026-03-02T08:00:00.000Z';
  return {
    codeUnit: 'send-documents',
    entryId: 'entry-send-documents',
    runId: makeRunId(startedAt),
    trigger: 'schedule',
    attempt: 1,
    status: 'InProcess',
    startedAt,
    finishedAt: null,
    durationMs: null,
    scheduledFor: startedAt,
    errorMessage: null,
    errorStack: null,
    skipReason: null,
    counters: {},
    ...overrides,
  };
}

/** The same row, completed `durationMs` after its start with `status`. */
export function completeRun(row: RunLogEntry, status: Exclude<RunLogEntry['status'], 'InProcess'>, durationMs = 1500, extra: Partial<RunLogEntry> = {}): RunLogEntry {
  return {
    ...row,
    status,
    finishedAt: new Date(Date.parse(row.startedAt) + durationMs).toISOString(),
    durationMs,
    ...extra,
  };
}
