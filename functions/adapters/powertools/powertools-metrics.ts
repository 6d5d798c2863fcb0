import { Metrics as PowertoolsMetrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { DimensionName, MetricName, Metrics, MetricUnit } from '../../ports/metrics.js';

export interface PowertoolsMetricsOptions {
  readonly namespace: string;
  /** The `service` dimension every metric carries (Powertools adds it). */
  readonly serviceName: string;
  /** Dimensions every metric carries, e.g. the stack's schedule group. */
  readonly defaultDimensions: Readonly<Record<string, string>>;
}

const UNITS: Record<MetricUnit, (typeof PowertoolsUnit)[keyof typeof PowertoolsUnit]> = {
  Count: PowertoolsUnit.Count,
  Milliseconds: PowertoolsUnit.Milliseconds,
  Seconds: PowertoolsUnit.Seconds,
};

/**
 * The Metrics port on Powertools Metrics: every data point is written at once as one Embedded Metric
 * Format line on stdout, which Lambda's log stream turns into a CloudWatch metric (no API call, no
 * IAM permission). One line per point, because points of one invocation have different dimension
 * sets (a queue, a status …) and a run ends or crashes without a flush step to forget.
 */
export class PowertoolsMetricsAdapter implements Metrics {
  readonly #metrics: PowertoolsMetrics;

  constructor(options: PowertoolsMetricsOptions) {
    this.#metrics = new PowertoolsMetrics({ namespace: options.namespace, serviceName: options.serviceName, defaultDimensions: { ...options.defaultDimensions } });
  }

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: Readonly<Partial<Record<DimensionName, string>>> = {}): void {
    const single = this.#metrics.singleMetric();
    for (const [dimension, dimensionValue] of Object.entries(dimensions)) if (dimensionValue) single.addDimension(dimension, dimensionValue);
    single.addMetric(name, UNITS[unit], value);
  }
}
