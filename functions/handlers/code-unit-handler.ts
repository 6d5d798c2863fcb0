import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { CODE_UNIT_IDS } from '../domain/catalogue.js';
import type { RunLogEntry } from '../domain/job-queue-entry.js';
import type { CodeUnit } from '../ports/code-unit.js';
import { runEntry, type RunTriggerInput } from '../use-cases/run-entry.js';
import { awsRunnerDeps } from '../wiring/aws.js';

/** What may invoke a code unit: its schedule (EventBridge Scheduler) or a run-now (the API). */
const triggerSchema = z.discriminatedUnion('trigger', [
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: z.string().min(1), trigger: z.enum(['schedule', 'retry', 'restart']), scheduledFor: z.iso.datetime() }),
  z.object({ codeUnit: z.enum(CODE_UNIT_IDS), entryId: z.string().min(1), trigger: z.literal('manual'), runId: z.string().min(1), requestedBy: z.string().min(1) }),
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
