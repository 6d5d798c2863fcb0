import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, Metric, SingleValueWidget, TextWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CODE_UNIT_IDS, CODE_UNITS, type CodeUnitId } from '../../functions/domain/catalogue.js';
import { DIMENSION, METRIC, type MetricName } from '../../functions/ports/metrics.js';
import { WATCHED_DOCUMENT_STATUSES } from '../../functions/use-cases/measure-documents.js';
import { AWS_METRICS } from '../../functions/wiring/aws-metrics.js';

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  /** The stack's schedule group: the dimension every metric of this stack carries. */
  readonly scheduleGroupName: string;
}

/**
 * The code units' counters that move documents to a status (their names in each code unit's result):
 * the dashboard sums them per status, per five minutes.
 */
export const DOCUMENT_MOVES: Readonly<Record<'Sent' | 'Accepted' | 'Rejected' | 'Pending' | 'Held', readonly (readonly [CodeUnitId, string])[]>> = {
  Sent: [['send-documents', 'sent']],
  Accepted: [['process-sessions', 'accepted']],
  Rejected: [['process-sessions', 'rejected']],
  Pending: [
    ['send-documents', 'returnedToPending'],
    ['process-sessions', 'returnedToPending'],
  ],
  Held: [
    ['send-documents', 'heldOffline'],
    ['send-documents', 'heldAfterFailures'],
  ],
};

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard with what the functions publish (functions/ports/metrics.ts): runs and
 * their duration per queue, the documents waiting in each non-final status and the oldest of them,
 * the documents each queue moved, the entries in Error, KSeF's 429 answers and the client's waits,
 * and the e-mails sent. Every metric is this stack's (service and schedule group dimensions).
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stackDimensions = { [AWS_METRICS.serviceDimension]: AWS_METRICS.serviceName, [AWS_METRICS.scheduleGroupDimension]: props.scheduleGroupName };
    const metric = (name: MetricName, statistic: 'Sum' | 'Maximum' | 'p95', label: string, dimensions: Record<string, string> = {}): Metric =>
      new Metric({ namespace: AWS_METRICS.namespace, metricName: name, dimensionsMap: { ...stackDimensions, ...dimensions }, statistic, period: PERIOD, label });
    const perQueue = (name: MetricName, statistic: 'Sum' | 'p95', extra: Record<string, string> = {}): Metric[] =>
      CODE_UNIT_IDS.map((queue) => metric(name, statistic, CODE_UNITS[queue].displayName, { [DIMENSION.queue]: queue, ...extra }));
    const graph = (title: string, left: IMetric[], options: { stacked?: boolean; leftLabel?: string } = {}): GraphWidget =>
      new GraphWidget({ title, left, width: WIDTH, height: HEIGHT, stacked: options.stacked ?? false, ...(options.leftLabel ? { leftYAxis: { label: options.leftLabel, showUnits: false } } : {}) });
    const oldest = (status: string): Metric => metric(METRIC.oldestDocumentAge, 'Maximum', `Oldest ${status} (s)`, { [DIMENSION.status]: status });

    // Ids are unique in the graph: one per status and counter.
    const moved = Object.entries(DOCUMENT_MOVES).map(([status, counters]) => {
      const usingMetrics = Object.fromEntries(
        counters.map(([queue, counter], index) => [`${status.toLowerCase()}${index}`, metric(METRIC.runCounter, 'Sum', `${queue} ${counter}`, { [DIMENSION.queue]: queue, [DIMENSION.counter]: counter })]),
      );
      return new MathExpression({ expression: Object.keys(usingMetrics).join(' + '), usingMetrics, label: `to ${status}`, period: PERIOD });
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown: `# KSeF job queues\nRuns, documents and KSeF traffic of the schedule group shown in every metric's dimensions. Documents per status are counted by the watchdog every 5 minutes, as GET /status counts them.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          graph('Successful runs per queue', perQueue(METRIC.runs, 'Sum', { [DIMENSION.outcome]: 'Success' }), { stacked: true }),
          graph('Failed runs per queue', perQueue(METRIC.runs, 'Sum', { [DIMENSION.outcome]: 'Error' }), { stacked: true }),
          graph('Run duration per queue (p95, ms)', perQueue(METRIC.runDuration, 'p95'), { leftLabel: 'ms' }),
        ],
        [
          graph(
            'Documents waiting, per status',
            WATCHED_DOCUMENT_STATUSES.map((status) => metric(METRIC.documentsInStatus, 'Maximum', status, { [DIMENSION.status]: status })),
          ),
          graph('Age of the oldest waiting document (s)', WATCHED_DOCUMENT_STATUSES.map(oldest), { leftLabel: 'seconds' }),
          new SingleValueWidget({ title: 'Oldest Pending and Sent document (s)', metrics: [oldest('Pending'), oldest('Sent')], width: WIDTH, height: HEIGHT }),
        ],
        [
          graph('Documents moved to each status', moved, { stacked: true }),
          graph('Entries in Error', [metric(METRIC.entriesInError, 'Maximum', 'Entries in Error')]),
          graph('KSeF: 429 answers and time waited (ms)', [metric(METRIC.ksefRateLimited, 'Sum', '429 answers'), metric(METRIC.ksefWaitTime, 'Sum', 'Waited (ms)')]),
        ],
        [
          graph(
            'E-mails',
            (['failure', 'recovery'] as const).flatMap((kind) =>
              (['sent', 'failed'] as const).map((result) => metric(METRIC.emails, 'Sum', `${kind} ${result}`, { [DIMENSION.kind]: kind, [DIMENSION.result]: result })),
            ),
            { stacked: true },
          ),
        ],
      ],
    });
  }
}
