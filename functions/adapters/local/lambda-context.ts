import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LocalInvocation {
  /** The function's name as local mode calls it, e.g. `send-documents`. */
  readonly functionName: string;
  /** What the function may take, like its Lambda timeout. */
  readonly timeoutMs: number;
  readonly memoryLimitInMB?: number;
  /** Default: a fresh UUID, as Lambda gives each invocation. */
  readonly requestId?: string;
}

/** The Context Lambda would hand a handler, for local mode's invocations of the same handlers. */
export function lambdaContext(invocation: LocalInvocation): Context {
  const deadline = Date.now() + invocation.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: invocation.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${invocation.functionName}`,
    memoryLimitInMB: String(invocation.memoryLimitInMB ?? 512),
    awsRequestId: invocation.requestId ?? randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
