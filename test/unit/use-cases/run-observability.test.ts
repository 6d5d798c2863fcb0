import { describe, expect, it } from 'vitest';
import { runEntry } from '../../../functions/use-cases/run-entry.js';
import { makeHarness, READY_HOURLY as readyNow } from './harness.js';

describe('what a run logs and measures', () => {
  it('every line the code unit and the protocol log carries the run\'s codeUnit, runId, attempt and trigger', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async (context) => {
      context.logger.warn('KSeF is slow today.', { waitedMs: 1200 });
      return { counters: { sent: 2 } };
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    const keys = { codeUnit: 'send-documents', runId: row.runId, attempt: 1, trigger: 'schedule' };
    expect(h.logger.lines).toEqual([
      { level: 'warn', message: 'KSeF is slow today.', attributes: { ...keys, waitedMs: 1200 } },
      { level: 'info', message: 'Run finished.', attributes: expect.objectContaining({ ...keys, status: 'Success', counters: { sent: 2 } }) },
    ]);
  });

  it('a run publishes its outcome and duration for its queue, and each of its counters', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async () => {
      h.clock.advance(1_500);
      return { counters: { sent: 3, returnedToPending: 1 } };
    };
    // Act
    await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(h.metrics.points()).toEqual([
      { name: 'Runs', unit: 'Count', value: 1, dimensions: { Queue: 'send-documents', Outcome: 'Success' } },
      { name: 'RunDuration', unit: 'Milliseconds', value: 1_500, dimensions: { Queue: 'send-documents' } },
      { name: 'RunCounter', unit: 'Count', value: 3, dimensions: { Queue: 'send-documents', Counter: 'sent' } },
      { name: 'RunCounter', unit: 'Count', value: 1, dimensions: { Queue: 'send-documents', Counter: 'returnedToPending' } },
    ]);
  });

  it('a failed run is logged as a warning with its error, and counted as an Error of its queue', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    h.codeUnit.behaviour = async () => {
      throw new Error('KSeF said no');
    };
    // Act
    await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(h.logger.lines.at(-1)).toMatchObject({ level: 'warn', message: 'Run finished.', attributes: { status: 'Error', errorMessage: expect.stringContaining('KSeF said no') } });
    expect(h.metrics.points('Runs')).toEqual([{ name: 'Runs', unit: 'Count', value: 1, dimensions: { Queue: 'send-documents', Outcome: 'Error' } }]);
  });

  it('a skipped trigger is logged with its reason and counted as Skipped', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed({ ...readyNow, status: 'OnHold' });
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    // Assess
    expect(h.logger.lines).toEqual([{ level: 'info', message: 'Run skipped.', attributes: { codeUnit: 'send-documents', runId: row.runId, attempt: 0, trigger: 'schedule', skipReason: row.skipReason } }]);
    expect(h.metrics.points()).toEqual([{ name: 'Runs', unit: 'Count', value: 1, dimensions: { Queue: 'send-documents', Outcome: 'Skipped' } }]);
  });
});

describe('lines of shared parts during a run', () => {
  it('a line written during the run by a logger the code unit does not own (e.g. the KSeF client\'s) still carries the run\'s keys', async () => {
    // Prepare
    const h = makeHarness();
    await h.seed(readyNow);
    const shared = h.logger.with({ component: 'ksef-client' });
    h.codeUnit.behaviour = async () => {
      await Promise.resolve();
      shared.warn('KSeF sent a warning.');
      return { counters: {} };
    };
    // Act
    const row = await runEntry(h.runner, await h.scheduledInput(), h.options);
    shared.info('Between runs.');
    // Assess
    expect(h.logger.lines.find((line) => line.message === 'KSeF sent a warning.')?.attributes).toEqual({ component: 'ksef-client', codeUnit: 'send-documents', runId: row.runId, attempt: 1, trigger: 'schedule' });
    expect(h.logger.lines.at(-1)).toEqual({ level: 'info', message: 'Between runs.', attributes: { component: 'ksef-client' } });
  });
});
