/**
 * One CloudWatch metric as an Embedded Metric Format log line: Lambda's log stream turns it into
 * a metric with no API call and no extra permission.
 */
export function emfLine(input: {
  readonly namespace: string;
  readonly metric: string;
  readonly value: number;
  readonly unit?: 'Count' | 'None';
  readonly dimensions: Readonly<Record<string, string>>;
  readonly at: Date;
}): string {
  return JSON.stringify({
    _aws: {
      Timestamp: input.at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: input.namespace,
          Dimensions: [Object.keys(input.dimensions)],
          Metrics: [{ Name: input.metric, Unit: input.unit ?? 'Count' }],
        },
      ],
    },
    ...input.dimensions,
    [input.metric]: input.value,
  });
}
