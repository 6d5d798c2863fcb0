import { describe, expect, it } from 'vitest';
import { DIMENSION, METRIC, type Metrics } from '../../functions/ports/metrics.js';

/** A published point as CloudWatch would see it: name, unit, value and every dimension. */
export interface PublishedPoint {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface MetricsUnderTest {
  readonly metrics: Metrics;
  /** Dimensions the adapter adds to every point (e.g. the stack's). */
  readonly defaultDimensions: Readonly<Record<string, string>>;
  /** What was published since the start. */
  published(): PublishedPoint[];
}

/** What every Metrics adapter must do, whatever carries the points. */
export function metricsContract(name: string, make: () => MetricsUnderTest): void {
  describe(`${name} (Metrics contract)`, () => {
    it('publishes each point with its name, unit and value, its own dimensions and the default ones', () => {
      const subject = make();

      subject.metrics.add(METRIC.runs, 'Count', 1, { [DIMENSION.queue]: 'send-documents', [DIMENSION.outcome]: 'Success' });
      subject.metrics.add(METRIC.runDuration, 'Milliseconds', 1234, { [DIMENSION.queue]: 'send-documents' });

      expect(subject.published()).toEqual([
        { name: 'Runs', unit: 'Count', value: 1, dimensions: { ...subject.defaultDimensions, Queue: 'send-documents', Outcome: 'Success' } },
        { name: 'RunDuration', unit: 'Milliseconds', value: 1234, dimensions: { ...subject.defaultDimensions, Queue: 'send-documents' } },
      ]);
    });

    it('keeps points of different dimension sets apart, and a point without dimensions has only the default ones', () => {
      const subject = make();

      subject.metrics.add(METRIC.documentsInStatus, 'Count', 7, { [DIMENSION.status]: 'Pending' });
      subject.metrics.add(METRIC.documentsInStatus, 'Count', 0, { [DIMENSION.status]: 'Sent' });
      subject.metrics.add(METRIC.entriesInError, 'Count', 2);

      expect(subject.published()).toEqual([
        { name: 'DocumentsInStatus', unit: 'Count', value: 7, dimensions: { ...subject.defaultDimensions, Status: 'Pending' } },
        { name: 'DocumentsInStatus', unit: 'Count', value: 0, dimensions: { ...subject.defaultDimensions, Status: 'Sent' } },
        { name: 'EntriesInError', unit: 'Count', value: 2, dimensions: { ...subject.defaultDimensions } },
      ]);
    });
  });
}
