import type { Logger } from '../../ports/logger.js';

/**
 * Work started without waiting for it, like Lambda's asynchronous invoke: a failure is logged,
 * never an unhandled rejection, and shutdown and tests can wait until everything started has ended.
 */
export class BackgroundWork {
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  start(what: string, work: () => Promise<unknown>): void {
    const run: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.logger.error(`The ${what} failed.`, { error }),
      )
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  /** Resolves when everything started so far (and anything it started meanwhile) has ended. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
