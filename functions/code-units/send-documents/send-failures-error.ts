import { KsefJobError } from '../../domain/errors.js';
import type { RunCounters } from '../../domain/job-queue-entry.js';

/**
 * A send-documents run that recorded everything but met failures the on-call admin must hear of
 * (invoices KSeF did not take for a reason other than refusing them). Thrown at the end of the run,
 * after the session was closed and every document written, so that the job queue retries the run and
 * notifies; the counters are in the message because a failed run has no result.
 */
export class SendFailuresError extends KsefJobError {
  constructor(
    readonly problems: readonly string[],
    readonly counters: RunCounters,
  ) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    const summary = Object.entries(counters).map(([name, value]) => `${name} ${value}`).join(', ');
    super(`send-documents: ${problems.length} problem(s): ${shown}${more}. Counters: ${summary}.`);
  }
}
