/*
 * The runtime's metrics: a data point has a name from METRIC, a unit and a value, and dimensions
 * from DIMENSION. On AWS they become CloudWatch metrics through Powertools Metrics (Embedded Metric
 * Format log lines, no API call); locally they are kept in memory. The dashboard
 * (infra/constructs/dashboard.ts) and the alarms read the same names.
 */

export const METRIC = {
  /** One per run that ended, with Queue and Outcome (Success, Error, Skipped). */
  runs: 'Runs',
  /** How long a run that held the lease took, with Queue. */
  runDuration: 'RunDuration',
  /**
   * Each counter of a run, with Queue and Counter (the code unit's name, e.g. sent, accepted,
   * returnedToPending): what the run did, among it the documents it moved to each status.
   */
  runCounter: 'RunCounter',
  /** Outgoing documents in a non-final status, with Status; counted by the watchdog. */
  documentsInStatus: 'DocumentsInStatus',
  /** Age of the oldest outgoing document in a non-final status (since it entered it), with Status. */
  oldestDocumentAge: 'OldestDocumentAge',
  /** Job queue entries in status Error, counted by the watchdog; the EntriesInError alarm watches it. */
  entriesInError: 'EntriesInError',
  /** KSeF answers 429 Too Many Requests. */
  ksefRateLimited: 'KsefRateLimited',
  /** Time the KSeF client waited for its rate budget or a Retry-After before a request. */
  ksefWaitTime: 'KsefWaitTime',
  /** Failure and recovery e-mails, with Kind (failure, recovery) and Result (sent, failed). */
  emails: 'Emails',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const DIMENSION = {
  queue: 'Queue',
  outcome: 'Outcome',
  counter: 'Counter',
  status: 'Status',
  kind: 'Kind',
  result: 'Result',
} as const;
export type DimensionName = (typeof DIMENSION)[keyof typeof DIMENSION];

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds';

export interface Metrics {
  /** Publishes one data point with `dimensions` (and the stack's own, which the adapter adds). */
  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: Readonly<Partial<Record<DimensionName, string>>>): void;
}
