import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { startLocalRuntime } from '../../functions/wiring/local.js';
import { makeLocalConfig } from '../helpers/local-config.js';
import { RecordingLogger } from '../helpers/recording-logger.js';

describe('the KSeF client reports what KSeF made it do', () => {
  it('a 429 is counted and the wait it asked for measured, and a KSeF warning is logged, through the runtime\'s metrics and logger', async () => {
    // Prepare
    const start = new Date('2026-03-02T09:00:00.000Z');
    const logger = new RecordingLogger();
    const runtime = await startLocalRuntime(makeLocalConfig(), { clock: new ManualClock(start), timers: 'manual', inMemory: true, env: {}, logger });
    try {
      runtime.ksef.simulator?.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 90, match: 'POST /auth/challenge' }, systemWarning: '[21999]: Planowana przerwa techniczna' });
      // Act
      await runtime.ksef.gateway.authenticate();
      // Assess
      expect(runtime.metrics.points('KsefRateLimited')).toEqual([{ name: 'KsefRateLimited', unit: 'Count', value: 1, dimensions: {} }]);
      expect(runtime.metrics.points('KsefWaitTime').reduce((sum, point) => sum + point.value, 0)).toBeGreaterThanOrEqual(90_000);
      expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'KSeF sent a warning.', attributes: expect.objectContaining({ warning: '[21999]: Planowana przerwa techniczna' }) }));
    } finally {
      await runtime.close();
    }
  });
});
