import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { CODE_UNIT_IDS } from '../domain/catalogue.js';
import type { RunLogEntry } from '../domain/job-queue-entry.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { RunnerDeps } from '../use-cases/deps.js';
import { runEntry, type RunEntryOptions, type RunTriggerInput } from '../use-cases/run-entry.js';

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * What may invoke a code unit: its schedule (EventBridge Scheduler) or a run-now (the API). A plain
 * union, not a discriminated one, and zod/mini: together they keep the code-unit bundles under 500 KB.
 */
const triggerSchema = z.union([
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: nonEmpty(), trigger: z.enum(['schedule', 'retry', 'restart']), scheduledFor: z.iso.datetime() }),
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: nonEmpty(), trigger: z.literal('manual'), runId: nonEmpty(), requestedBy: nonEmpty() }),
]);

export type CodeUnitHandler = (event: unknown, context: Context) => Promise<Pick<RunLogEntry, 'runId' | 'status'>>;

/**
 * The thin door of every code-unit function: validate the trigger, run the protocol (which logs and
 * measures the run). `runnerDeps` is the runtime's: wiring/aws.ts on Lambda, wiring/local.ts locally,
 * where the Scheduler emulator and run-now invoke this same function with the same events.
 */
export function codeUnitHandler(codeUnit: CodeUnit, runnerDeps: (codeUnit: CodeUnit) => RunnerDeps, options?: RunEntryOptions): CodeUnitHandler {
  return async (event, context) => {
    const trigger = triggerSchema.parse(event) as RunTriggerInput;
    if (trigger.codeUnit !== codeUnit.id) throw new Error(`This function runs '${codeUnit.id}', not '${trigger.codeUnit}'.`);
    const deps = runnerDeps(codeUnit);
    const row = await runEntry({ ...deps, logger: deps.logger.with({ requestId: context.awsRequestId }) }, trigger, options);
    return { runId: row.runId, status: row.status };
  };
}
