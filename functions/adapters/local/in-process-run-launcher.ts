import type { CodeUnitId } from '../../domain/catalogue.js';
import type { ManualRunRequest, RunLauncher } from '../../ports/run-launcher.js';
import type { RunnerDeps } from '../../use-cases/deps.js';
import { runEntry, type RunEntryOptions } from '../../use-cases/run-entry.js';
import { BackgroundWork } from './background-work.js';

/**
 * Local mode's RunLauncher: starts the run in this process and returns at once, like a Lambda
 * async invoke. Runs are tracked in `work`, which local mode shares with the scheduled runs.
 */
export class InProcessRunLauncher implements RunLauncher {
  constructor(
    private readonly runnerFor: (codeUnit: CodeUnitId) => RunnerDeps,
    private readonly options: RunEntryOptions = {},
    private readonly work: BackgroundWork = new BackgroundWork(),
  ) {}

  async launch(request: ManualRunRequest): Promise<void> {
    this.work.start(`manual run '${request.runId}' of '${request.codeUnit}'`, () => runEntry(this.runnerFor(request.codeUnit), request, this.options));
  }

  /** Resolves when every run launched so far has ended (for shutdown and tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }
}
