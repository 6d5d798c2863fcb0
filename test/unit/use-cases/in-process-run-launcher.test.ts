import { describe, expect, it, vi } from 'vitest';
import { BackgroundWork } from '../../../functions/adapters/local/background-work.js';
import { InProcessRunLauncher } from '../../../functions/adapters/local/in-process-run-launcher.js';
import { makeHarness } from './harness.js';

const request = { codeUnit: 'send-documents' as const, entryId: 'entry-send-documents', trigger: 'manual' as const, runId: 'manual-1', requestedBy: 'admin' };

describe('the in-process run launcher', () => {
  it('returns before the run ends, and the run completes in the background', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ status: 'OnHold' });
    let release!: () => void;
    h.codeUnit.behaviour = () => new Promise((resolve) => (release = () => resolve({ counters: { done: 1 } })));
    const launcher = h.inProcessLauncher();
    // Act
    await launcher.launch(request);
    await vi.waitFor(() => expect(h.codeUnit.calls).toHaveLength(1));
    const whileRunning = (await h.entry()).status;
    release();
    await launcher.idle();
    // Assess
    expect(whileRunning).toBe('InProcess');
    expect(await h.runs.get('send-documents', 'manual-1')).toMatchObject({ status: 'Success', counters: { done: 1 } });
  });

  it('invokes the code unit\'s handler with the event Lambda would get: the request as JSON, and a Context', async () => {
    // Prepare
    const invocations: { event: unknown; functionName: string; remainingMs: number }[] = [];
    const h = makeHarness();
    const launcher = new InProcessRunLauncher(
      () => async (event, context) => void invocations.push({ event, functionName: context.functionName, remainingMs: context.getRemainingTimeInMillis() }),
      new BackgroundWork(h.logger),
    );
    // Act
    await launcher.launch(request);
    await launcher.idle();
    // Assess
    expect(invocations).toEqual([{ event: request, functionName: 'send-documents', remainingMs: expect.any(Number) }]);
    expect(invocations[0]?.event).not.toBe(request);
  });

  it('a run that fails outside the protocol is logged, never an unhandled rejection', async () => {
    // Prepare
    const h = makeHarness();
    const launcher = new InProcessRunLauncher(() => {
      throw new Error('no such code unit wired');
    }, new BackgroundWork(h.logger));
    // Act
    await launcher.launch(request);
    await launcher.idle();
    // Assess
    expect(h.logger.lines).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('manual-1') })]);
    expect(String(h.logger.lines[0]?.attributes.error)).toContain('no such code unit wired');
  });
});
