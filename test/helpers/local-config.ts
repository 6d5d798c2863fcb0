import type { LocalConfig } from '../../functions/wiring/local-config.js';

/**
 * A local-mode configuration for tests that start the runtime in memory: a free port on loopback
 * (port 0), a fixed token, no data directory in use, quiet logs; override what a test is about.
 */
export function makeLocalConfig(overrides: Partial<LocalConfig> = {}): LocalConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    apiToken: 'local-runtime-test-token-0123456789',
    apiTokenGenerated: false,
    dataDir: '/nonexistent/in-memory',
    logLevel: 'ERROR',
    companyNip: '1112223332',
    ...overrides,
  };
}
