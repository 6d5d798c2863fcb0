import { describe, expect, it } from 'vitest';
import { realTimer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { systemClock } from '../../functions/ports/clock.js';
import { clockTimer } from '../../functions/wiring/ksef-local.js';
import { startLocalRuntime } from '../../functions/wiring/local.js';
import { makeLocalConfig } from '../helpers/local-config.js';

const config = makeLocalConfig();

describe('the KSeF client in local mode waits on the runtime clock', () => {
  it('a 429 with Retry-After from the simulator is waited out by moving the manual clock on, not by sleeping', async () => {
    // Prepare: 90 s of Retry-After would outlast the test's 30 s timeout if it were slept in real time.
    const start = new Date('2026-03-02T09:00:00.000Z');
    const clock = new ManualClock(start);
    const runtime = await startLocalRuntime(config, { clock, timers: 'manual', inMemory: true, env: {}, ksef: { client: { onWarning: () => undefined } } });
    try {
      runtime.ksef.simulator?.faults.set({ tooManyRequests: { count: 1, retryAfterSeconds: 90, match: 'POST /auth/challenge' } });
      // Act
      await runtime.ksef.gateway.authenticate();
      // Assess
      expect(runtime.ksef.simulator?.faults.current.tooManyRequests).toBeUndefined();
      expect(clock.now().getTime() - start.getTime()).toBeGreaterThanOrEqual(90_000);
    } finally {
      await runtime.close();
    }
  });

  it('on the system clock (npm start) the client keeps the real timer', () => {
    // Act
    const timer = clockTimer(systemClock);
    // Assess
    expect(timer).toBe(realTimer);
  });

  it('on a clock that is neither settable nor the system clock, the client reads its time and sleeps for real', async () => {
    // Prepare
    const fixed = { now: () => new Date('2026-03-02T09:00:00.000Z') };
    // Act
    const timer = clockTimer(fixed);
    // Assess
    expect(timer.now()).toBe(Date.parse('2026-03-02T09:00:00.000Z'));
    expect(timer.sleep).toBe(realTimer.sleep);
  });
});
