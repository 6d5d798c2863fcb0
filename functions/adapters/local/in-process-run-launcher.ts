import type { CodeUnitId } from '../../domain/catalogue.js';
import type { ManualRunRequest, RunLauncher } from '../../ports/run-launcher.js';
import type { RunnerDeps } from '../../use-cases/deps.js';
import { runEntry, type RunEntryOptions } from '../../use-cases/run-entry.js';

/**
 * Local mode's RunLauncher: starts the run in this process and returns at once, like a Lambda
 * async invoke. A run that fails outside the protocol is logged, never an unhandled rejection.
 */
export class InProcessRunLauncher implements RunLauncher {
  readonly #running = new Set<Promise<void>>();

  constructor(
    private readonly runnerFor: (codeUnit: CodeUnitId) => RunnerDeps,
    private readonly options: RunEntryOptions = {},
  ) {}

  async launch(request: ManualRunRequest): Promise<void> {
    const run: Promise<void> = Promise.resolve()
      .then(() => runEntry(this.runnerFor(request.codeUnit), request, this.options))
      .then(
        () => undefined,
        (error: unknown) => console.error(`Manual run '${request.runId}' of '${request.codeUnit}' failed to run.`, error),
      )
      .finally(() => this.#running.delete(run));
    this.#running.add(run);
  }

  /** Resolves when every run launched so far has ended (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
