import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AWS_METRICS } from '../../functions/wiring/aws-metrics.js';

export interface AlarmsProps {
  /** Schedule invocations that could not be delivered: a queue that silently did not run. */
  readonly deadLetterQueue: IQueue;
  /** Functions whose unhandled errors (crashes, Lambda timeouts) must reach a person. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The stack's schedule group: the dimension of the entries-in-Error metric the watchdog publishes. */
  readonly scheduleGroupName: string;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

/**
 * Operational alarms, published to one SNS topic: entries left in Error (the mailer tells the
 * queue's recipients; this tells operations), and what the run protocol cannot record itself:
 * undelivered schedule invocations and functions that crash or hit Lambda's own timeout.
 */
export class Alarms extends Construct {
  readonly topic: ITopic;
  readonly alarms: readonly IAlarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS managed SNS key, and
    // alarm notifications carry no invoice data.
    const topic = new Topic(this, 'Topic', { displayName: 'KSeF job queues alarms', enforceSSL: true });
    if (props.alarmEmail) topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarms: Alarm[] = [
      new Alarm(this, 'ScheduleDeadLetters', {
        alarmDescription: 'A schedule could not invoke its code unit: the messages in the dead-letter queue say which.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'EntriesInError', {
        alarmDescription: 'A job queue entry is in status Error: GET /queues shows which; its run log says why.',
        metric: new Metric({
          namespace: AWS_METRICS.namespace,
          metricName: AWS_METRICS.entriesInError,
          // Powertools Metrics adds the service dimension to every metric; both name this stack's series.
          dimensionsMap: { [AWS_METRICS.serviceDimension]: AWS_METRICS.serviceName, [AWS_METRICS.scheduleGroupDimension]: props.scheduleGroupName },
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...Object.entries(props.functions).map(
        ([name, fn]) =>
          new Alarm(this, `${name}Errors`, {
            alarmDescription: `The ${name} function failed (unhandled error or Lambda timeout): see its log group.`,
            metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      ),
    ];
    const action = new SnsAction(topic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.topic = topic;
    this.alarms = alarms;
  }
}
