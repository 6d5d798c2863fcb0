import { describe, expect, it, vi } from 'vitest';
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
    const launcher = new InProcessRunLauncher(() => h.runner);
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

  it('a run that fails outside the protocol is logged, never an unhandled rejection', async () => {
    // Prepare
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    const launcher = new InProcessRunLauncher(() => {
      throw new Error('no such code unit wired');
    });
    // Act
    await launcher.launch(request);
    await launcher.idle();
    spy.mockRestore();
    // Assess
    expect(JSON.stringify(errors.map((e) => String(e)))).toContain('manual-1');
  });
});
