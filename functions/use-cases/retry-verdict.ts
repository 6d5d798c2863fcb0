import type { JobQueueEntry } from '../domain/job-queue-entry.js';
import { decideRetry } from '../domain/retry-policy.js';
import type { RetryVerdict } from '../domain/transitions.js';

/** The retry decision for a failed attempt `attempt` of `entry`, with the entry's current settings. */
export function retryVerdict(entry: JobQueueEntry, attempt: number, error: unknown, random: () => number): RetryVerdict {
  return decideRetry({
    attemptsMade: attempt,
    maxAttempts: entry.maxAttempts,
    rerunDelaySeconds: entry.rerunDelaySeconds,
    error,
    random,
  });
}
