import { createKsefSimulator } from './simulator.js';

/**
 * `npm run ksef-sim`: the KSeF simulator on its own. KSEF_SIM_PORT (default 3001), KSEF_SIM_HOST
 * (default 127.0.0.1), KSEF_SIM_RATE_LIMITS=off to switch rate limits off, KSEF_SIM_PROCESSING_MS
 * for the 150 → 200 delay.
 */
const port = Number(process.env.KSEF_SIM_PORT ?? 3001);
const sim = await createKsefSimulator({
  port,
  host: process.env.KSEF_SIM_HOST ?? '127.0.0.1',
  rateLimits: process.env.KSEF_SIM_RATE_LIMITS === 'off' ? false : undefined,
  delays: { processingMs: Number(process.env.KSEF_SIM_PROCESSING_MS ?? 1000), acceptMs: 200 },
  log: true,
});
console.log(`KSeF simulator listening: ${sim.url}`);
console.log(`Control endpoints: ${sim.origin}/_sim/faults, /_sim/incoming-invoices, /_sim/ksef-tokens, /_sim/keys/rotate`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
