import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { codeUnitHandler } from '../../../functions/handlers/code-unit-handler.js';
import { makeHarness, READY_HOURLY } from '../use-cases/harness.js';

const context = { awsRequestId: 'invocation-7', functionName: 'send-documents' } as Context;

describe('the code-unit handler', () => {
  it('runs the protocol for a schedule\'s input and answers with the run\'s id and status', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(READY_HOURLY);
    const handler = codeUnitHandler(h.codeUnit, (unit) => ({ ...h.runner, codeUnit: unit }));
    // Act
    const answer = await handler(JSON.parse(JSON.stringify(await h.scheduledInput())), context);
    // Assess
    expect(answer).toEqual({ runId: expect.any(String), status: 'Success' });
    expect(h.logger.lines.at(-1)?.attributes).toMatchObject({ requestId: 'invocation-7', runId: answer.runId });
  });

  it('refuses an event that is no trigger, and a trigger for another code unit, without running anything', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(READY_HOURLY);
    const handler = codeUnitHandler(h.codeUnit, (unit) => ({ ...h.runner, codeUnit: unit }));
    const input = await h.scheduledInput();
    // Act
    const malformed = handler({ ...input, scheduledFor: 'tomorrow' }, context);
    const misrouted = handler({ ...input, codeUnit: 'process-upo' }, context);
    // Assess
    await expect(malformed).rejects.toThrow(/scheduledFor/);
    await expect(misrouted).rejects.toThrow("This function runs 'send-documents', not 'process-upo'.");
    expect(h.codeUnit.calls).toEqual([]);
    expect(await h.log()).toEqual([]);
  });
});
