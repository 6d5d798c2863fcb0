/**
 * Custom CloudWatch metrics that the functions publish (as Embedded Metric Format log lines) and
 * that CDK alarms on. One list, so that the stack and the code agree.
 */
export const AWS_METRICS = {
  namespace: 'KsefJobQueues',
  /** Number of job queue entries in status Error; published by the watchdog on every pass. */
  entriesInError: 'EntriesInError',
  /** Dimension that tells stacks apart: the value of SCHEDULE_GROUP_NAME. */
  scheduleGroupDimension: 'ScheduleGroup',
} as const;
