import { expect, it } from 'vitest';
import { MemoryMetrics } from '../../functions/adapters/memory/memory-metrics.js';
import { RecordingLogger } from '../helpers/recording-logger.js';
import { metricsContract } from './metrics.contract.js';

metricsContract('MemoryMetrics', () => {
  const metrics = new MemoryMetrics();
  return { metrics, defaultDimensions: {}, published: () => metrics.points().map((point) => ({ ...point, dimensions: { ...point.dimensions } as Record<string, string> })) };
});

it('local mode\'s metrics are written to the log at DEBUG, so that LOG_LEVEL=DEBUG shows them', () => {
  const logger = new RecordingLogger();
  new MemoryMetrics(logger).add('Runs', 'Count', 1, { Queue: 'process-upo', Outcome: 'Error' });

  expect(logger.lines).toEqual([{ level: 'debug', message: 'metric', attributes: { metric: 'Runs', unit: 'Count', value: 1, Queue: 'process-upo', Outcome: 'Error' } }]);
});
