import { KsefJobError, VersionConflictError } from '../../domain/errors.js';
import { KsefApiError, KsefRateBudgetExhaustedError, KsefRateLimitError, KsefUnknownOutcomeError } from '../../ports/ksef-errors.js';
import type { KsefSessionRecord } from '../../ports/ksef-session-repository.js';
import type { Logger } from '../../ports/logger.js';
import type { RunBudget } from '../send-documents/run-budget.js';

/** KSeF's rate limit (429 after the client's own waits, or a wait longer than the run allows): not now. */
export function isRateLimited(error: unknown): boolean {
  return error instanceof KsefRateLimitError || error instanceof KsefRateBudgetExhaustedError;
}

/**
 * A failure the next run may not meet: KSeF busy (rate limit) or failing (5xx, lost response), or
 * another run that wrote the same record first. Anything else (a KSeF refusal such as 21173 "no such
 * session", a state the code does not expect) repeats every run until someone looks.
 */
export function isTransient(error: unknown): boolean {
  return (
    isRateLimited(error) ||
    error instanceof KsefUnknownOutcomeError ||
    (error instanceof KsefApiError && error.status >= 500) ||
    error instanceof VersionConflictError
  );
}

export interface SessionFailure {
  readonly sessionId: string;
  readonly error: unknown;
}

/**
 * Some sessions failed for a reason that is not transient. The run ends in Error so that the job
 * queue retries and tells the admin; every other session was still worked on.
 */
export class SessionsFailedError extends KsefJobError {
  constructor(
    codeUnit: string,
    readonly failures: readonly SessionFailure[],
    readonly counters: Readonly<Record<string, number>>,
  ) {
    const list = failures.map((f) => `${f.sessionId}: ${messageOf(f.error)}`).join('; ');
    super(`${codeUnit}: ${failures.length} session(s) failed: ${list}. The other sessions were processed (${JSON.stringify(counters)}).`, { cause: failures[0]?.error });
  }
}

export interface SessionsOutcome {
  /** Sessions whose work threw, transient or not. */
  readonly failed: number;
  /** The failures that are not transient. */
  readonly lasting: readonly SessionFailure[];
}

/**
 * Works through the sessions in the order given (oldest first) while the run has time. One failing
 * session does not stop the others: it is logged and counted, and tried again next run. `work`
 * returns 'stop' to end early on purpose (e.g. KSeF's rate limit: the rest waits for the next run).
 */
export async function forEachSession(
  logger: Logger,
  records: readonly KsefSessionRecord[],
  budget: RunBudget,
  work: (record: KsefSessionRecord) => Promise<'next' | 'stop'>,
): Promise<SessionsOutcome> {
  let failed = 0;
  const lasting: SessionFailure[] = [];
  for (const record of records) {
    if (!budget.hasTime()) break;
    try {
      if ((await work(record)) === 'stop') break;
    } catch (error) {
      // The run's own time ran out in the middle (its signal aborted the request): not the session's fault.
      if (!budget.hasTime()) break;
      failed++;
      const transient = isTransient(error);
      logger.warn(transient ? 'A session failed; it is tried again next run.' : 'A session failed.', { session: record.id, transient, error: messageOf(error) });
      if (!transient) lasting.push({ sessionId: record.id, error });
    }
  }
  return { failed, lasting };
}

/** The counters of a run, with `sessionsFailed` only when some failed; throws when a failure is not transient. */
export function finishRun(codeUnit: string, counters: Readonly<Record<string, number>>, outcome: SessionsOutcome): { counters: Record<string, number> } {
  const all = { ...counters, ...(outcome.failed > 0 ? { sessionsFailed: outcome.failed } : {}) };
  if (outcome.lasting.length > 0) throw new SessionsFailedError(codeUnit, outcome.lasting, all);
  return { counters: all };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
