import type { Logger } from '../../ports/logger.js';
import type { DimensionName, MetricName, Metrics, MetricUnit } from '../../ports/metrics.js';

export interface MetricPoint {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly value: number;
  readonly dimensions: Readonly<Partial<Record<DimensionName, string>>>;
}

/**
 * Local mode's metrics: every point is kept (the last `limit` of them) for tests and tools to read,
 * and written to the log at DEBUG, since no CloudWatch is there to receive it.
 */
export class MemoryMetrics implements Metrics {
  readonly #points: MetricPoint[] = [];

  constructor(
    private readonly logger?: Logger,
    private readonly limit = 10_000,
  ) {}

  add(name: MetricName, unit: MetricUnit, value: number, dimensions: Readonly<Partial<Record<DimensionName, string>>> = {}): void {
    this.#points.push({ name, unit, value, dimensions: { ...dimensions } });
    if (this.#points.length > this.limit) this.#points.splice(0, this.#points.length - this.limit);
    this.logger?.debug('metric', { metric: name, unit, value, ...dimensions });
  }

  /** The points recorded so far, oldest first; with `name`, only that metric's. */
  points(name?: MetricName): readonly MetricPoint[] {
    return name === undefined ? [...this.#points] : this.#points.filter((point) => point.name === name);
  }
}
