import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CodeUnitId } from '../../domain/catalogue.js';
import { KsefJobError } from '../../domain/errors.js';
import type { ManualRunRequest, RunLauncher } from '../../ports/run-launcher.js';

export class RunLaunchError extends KsefJobError {}

/**
 * Run now on AWS: an asynchronous invoke of the code unit's function with the manual-run request,
 * which the function's run protocol treats like any other trigger (lease, run log, no schedule shift).
 */
export class LambdaRunLauncher implements RunLauncher {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionArns: Readonly<Record<CodeUnitId, string>>,
  ) {}

  async launch(request: ManualRunRequest): Promise<void> {
    const functionArn = this.functionArns[request.codeUnit];
    try {
      const response = await this.client.send(
        new InvokeCommand({ FunctionName: functionArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request)) }),
      );
      if (response.StatusCode !== 202) throw new RunLaunchError(`Lambda answered ${response.StatusCode} to the async invoke.`);
    } catch (error) {
      if (error instanceof RunLaunchError) throw error;
      throw new RunLaunchError(`Could not start a run of '${request.codeUnit}'.`, { cause: error });
    }
  }
}
