import type { Context } from 'aws-lambda';
import type { CodeUnitId } from '../../domain/catalogue.js';
import type { ManualRunRequest, RunLauncher } from '../../ports/run-launcher.js';
import type { BackgroundWork } from './background-work.js';
import { lambdaContext } from './lambda-context.js';

/** A Lambda handler as local mode calls it. */
export type LocalFunction = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda's limit, which the code-unit functions are given (infra/constructs/code-unit-functions.ts). */
const CODE_UNIT_TIMEOUT_MS = 15 * 60_000;

/**
 * Local mode's RunLauncher: invokes the code unit's handler (the same function as on Lambda) with
 * the event LambdaRunLauncher sends, the request as JSON, and returns at once like an async invoke.
 * Runs are tracked in `work`, which local mode shares with the scheduled runs.
 */
export class InProcessRunLauncher implements RunLauncher {
  constructor(
    private readonly handlerOf: (codeUnit: CodeUnitId) => LocalFunction,
    private readonly work: BackgroundWork,
  ) {}

  async launch(request: ManualRunRequest): Promise<void> {
    const event: unknown = JSON.parse(JSON.stringify(request));
    this.work.start(`manual run '${request.runId}' of '${request.codeUnit}'`, () =>
      this.handlerOf(request.codeUnit)(event, lambdaContext({ functionName: request.codeUnit, timeoutMs: CODE_UNIT_TIMEOUT_MS })),
    );
  }

  /** Resolves when every run launched so far has ended (for shutdown and tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }
}
