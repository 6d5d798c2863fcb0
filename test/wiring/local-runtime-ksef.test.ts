import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { KsefSettingsError } from '../../functions/wiring/ksef.js';
import { startLocalRuntime } from '../../functions/wiring/local.js';
import { makeLocalConfig } from '../helpers/local-config.js';

const config = makeLocalConfig();

describe('KSeF in local mode', () => {
  it('local mode starts its own simulator for the company NIP, and its code units log in to it', async () => {
    // Prepare
    const runtime = await startLocalRuntime(config, { clock: new ManualClock(new Date()), timers: 'manual', inMemory: true, env: {} });
    try {
      // Act
      await runtime.ksef.gateway.authenticate();
      // Assess
      expect(runtime.ksef.simulator?.url).toBe(runtime.ksef.url);
      expect(runtime.ksef.gateway.contextNip).toBe('1112223332');
    } finally {
      await runtime.close();
    }
  });

  it('local mode pointed at the real KSeF without credentials refuses to start, naming the variables to set', async () => {
    // Act
    const start = startLocalRuntime(config, { clock: new ManualClock(new Date()), timers: 'manual', inMemory: true, env: { KSEF_ENV: 'PROD' } });
    // Assess
    await expect(start).rejects.toBeInstanceOf(KsefSettingsError);
    await expect(start).rejects.toThrow('KSEF_ENV=PROD needs credentials: set KSEF_TOKEN');
  });
});
