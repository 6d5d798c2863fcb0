import type { IdGenerator } from '../../functions/ports/ids.js';
import { makeRunId } from './run-log-factory.js';

/** Predictable ids: entries `entry-1`, `entry-2`, …; run ids in the real format with a counter as suffix. */
export class FixedIds implements IdGenerator {
  #entries = 0;
  #runs = 0;

  entryId(): string {
    this.#entries += 1;
    return `entry-${this.#entries}`;
  }

  runId(at: Date): string {
    this.#runs += 1;
    return makeRunId(at, this.#runs);
  }
}
