import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { CODE_UNIT_IDS } from '../domain/catalogue.js';
import type { RunLogEntry } from '../domain/job-queue-entry.js';
import type { CodeUnit } from '../ports/code-unit.js';
import { runEntry, type RunTriggerInput } from '../use-cases/run-entry.js';
import { awsRunnerDeps } from '../wiring/aws.js';

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * What may invoke a code unit: its schedule (EventBridge Scheduler) or a run-now (the API). A plain
 * union, not a discriminated one, and zod/mini: together they keep the code-unit bundles under 500 KB.
 */
const triggerSchema = z.union([
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: nonEmpty(), trigger: z.enum(['schedule', 'retry', 'restart']), scheduledFor: z.iso.datetime() }),
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: nonEmpty(), trigger: z.literal('manual'), runId: nonEmpty(), requestedBy: nonEmpty() }),
]);

/** The thin door of every code-unit function: validate the trigger, run the protocol, log the outcome. */
export function codeUnitHandler(codeUnit: CodeUnit) {
  return async (event: unknown, _context: Context): Promise<Pick<RunLogEntry, 'runId' | 'status'>> => {
    const trigger = triggerSchema.parse(event) as RunTriggerInput;
    if (trigger.codeUnit !== codeUnit.id) throw new Error(`This function runs '${codeUnit.id}', not '${trigger.codeUnit}'.`);
    const row = await runEntry(awsRunnerDeps(codeUnit), trigger);
    console.log(JSON.stringify({ message: 'run finished', codeUnit: codeUnit.id, runId: row.runId, status: row.status, trigger: row.trigger }));
    return { runId: row.runId, status: row.status };
  };
}
