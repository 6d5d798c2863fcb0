import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { powertoolsLogger } from '../../functions/adapters/powertools/powertools-logger.js';

/* The Logger port on Powertools Logger, read back from the JSON lines it writes. */

let written: string[] = [];
beforeEach(() => {
  written = [];
  vi.stubEnv('POWERTOOLS_DEV', '');
  // WARN and ERROR lines go to stderr, the others to stdout; Lambda sends both to the log group.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const lines = () => written.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the Powertools logger', () => {
  it('writes one JSON line per call with its level, message, service, the keys of `with` and `scoped`, and the attributes', async () => {
    const logger = powertoolsLogger({ serviceName: 'ksef-job-queues', logLevel: 'INFO' }).with({ codeUnit: 'process-upo' });

    await logger.scoped({ runId: 'run-1' }, async () => logger.warn('A session failed.', { session: 's-1' }));
    logger.info('After the run.');

    expect(lines()).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'A session failed.', service: 'ksef-job-queues', codeUnit: 'process-upo', runId: 'run-1', session: 's-1' }),
      expect.objectContaining({ level: 'INFO', message: 'After the run.', codeUnit: 'process-upo' }),
    ]);
    expect(lines()[1]).not.toHaveProperty('runId');
  });

  it('keeps the keys of overlapping scoped work apart', async () => {
    const logger = powertoolsLogger({ serviceName: 'ksef-job-queues', logLevel: 'INFO' });
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

    await Promise.all(['a', 'b'].map((runId) => logger.scoped({ runId }, async () => {
      await tick();
      logger.info('line', { expected: runId });
    })));

    expect(lines().map((line) => [line.runId, line.expected])).toEqual(expect.arrayContaining([['a', 'a'], ['b', 'b']]));
  });

  it('writes an error with its name, message and stack, and nothing below the level LOG_LEVEL sets', () => {
    vi.stubEnv('LOG_LEVEL', 'WARN');
    const logger = powertoolsLogger({ serviceName: 'ksef-job-queues' });

    logger.info('Not written.');
    logger.error('The run log could not be written.', { error: new TypeError('boom') });

    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'ERROR', error: { name: 'TypeError', message: 'boom', stack: expect.stringContaining('TypeError: boom') } });
  });
});
