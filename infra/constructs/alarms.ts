import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Schedule invocations that could not be delivered: a queue that silently did not run. */
  readonly deadLetterQueue: IQueue;
  /** Functions whose unhandled errors (crashes, Lambda timeouts) must reach a person. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

/**
 * Operational alarms, published to one SNS topic. Failed runs that the run protocol records are
 * reported by the mailer; these catch what the protocol cannot: undelivered schedule invocations
 * and functions that crash or hit Lambda's own timeout.
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
