import { METRIC } from '../ports/metrics.js';

/**
 * Where the functions' metrics (ports/metrics.ts, published by Powertools Metrics as Embedded Metric
 * Format log lines) land in CloudWatch, and the dimensions every one of them carries; the dashboard
 * and the alarms read the same. One list, so that the stack and the code agree.
 */
export const AWS_METRICS = {
  namespace: 'KsefJobQueues',
  /** The `service` dimension Powertools adds to every metric (and the `service` key of every log line). */
  serviceName: 'ksef-job-queues',
  serviceDimension: 'service',
  /** Number of job queue entries in status Error; published by the watchdog on every pass. */
  entriesInError: METRIC.entriesInError,
  /** Dimension that tells stacks apart: the value of SCHEDULE_GROUP_NAME. */
  scheduleGroupDimension: 'ScheduleGroup',
} as const;
