import { afterEach, beforeEach, expect, vi } from 'vitest';
import { PowertoolsMetricsAdapter } from '../../functions/adapters/powertools/powertools-metrics.js';
import { metricsContract, type PublishedPoint } from './metrics.contract.js';

/*
 * Powertools Metrics writes each point as an Embedded Metric Format line on stdout, which Lambda's
 * log stream turns into CloudWatch metrics: the contract reads those lines back as CloudWatch would.
 */

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  // Not in Powertools' dev mode, which turns metrics off.
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

interface EmfDocument {
  readonly _aws: { readonly CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

function readEmf(): PublishedPoint[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .flatMap((line) => {
      const emf = JSON.parse(line) as EmfDocument;
      return emf._aws.CloudWatchMetrics.flatMap((directive) => {
        expect(directive.Namespace).toBe('KsefJobQueues');
        const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).map((name) => [name, String(emf[name])]));
        return directive.Metrics.map((metric) => ({ name: metric.Name, unit: metric.Unit, value: Number(emf[metric.Name]), dimensions }));
      });
    });
}

metricsContract('PowertoolsMetricsAdapter', () => ({
  metrics: new PowertoolsMetricsAdapter({ namespace: 'KsefJobQueues', serviceName: 'ksef-job-queues', defaultDimensions: { ScheduleGroup: 'ksef' } }),
  defaultDimensions: { service: 'ksef-job-queues', ScheduleGroup: 'ksef' },
  published: readEmf,
}));
