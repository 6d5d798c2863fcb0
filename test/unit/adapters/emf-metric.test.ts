import { describe, expect, it } from 'vitest';
import { emfLine } from '../../../functions/adapters/aws/emf-metric.js';

describe('emfLine', () => {
  it('writes a metric in the Embedded Metric Format that CloudWatch reads from a log line', () => {
    const line = emfLine({
      namespace: 'KsefJobQueues',
      metric: 'EntriesInError',
      value: 2,
      dimensions: { ScheduleGroup: 'ksef' },
      at: new Date('2026-11-25T12:00:00Z'),
    });

    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-11-25T12:00:00Z'),
        CloudWatchMetrics: [{ Namespace: 'KsefJobQueues', Dimensions: [['ScheduleGroup']], Metrics: [{ Name: 'EntriesInError', Unit: 'Count' }] }],
      },
      ScheduleGroup: 'ksef',
      EntriesInError: 2,
    });
  });
});
