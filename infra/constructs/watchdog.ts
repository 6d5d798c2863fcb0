import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge.js';
import { functionName } from './function-names.js';
import { RuntimeFunction, handlerEntry } from './runtime-function.js';
import { SCHEDULER_SERVICE } from './schedules.js';

export const WATCHDOG_INTERVAL = Duration.minutes(5);

export interface WatchdogProps {
  readonly namePrefix: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly deadLetterQueue: IQueue;
}

/**
 * The reconciler: every five minutes it repairs drift between the entries in the table and their
 * schedules (Ready but not scheduled, stale InProcess leases, Error entries due for restart).
 *
 * Its own schedule lives in the account's default group, not in the stack's group: the stack's
 * group holds exactly one schedule per entry, so that anything else found there is drift the
 * reconciler may remove. It also has its own Scheduler role, so that the role the per-entry
 * schedules use can invoke nothing but the code units.
 */
export class Watchdog extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: WatchdogProps) {
    super(scope, id);
    this.function = new RuntimeFunction(this, 'Function', {
      functionName: functionName(props.namePrefix, 'watchdog'),
      entry: handlerEntry('handlers/watchdog.ts'),
      description: 'KSeF job queues: repairs drift between entries and their schedules',
      timeout: Duration.minutes(2),
      environment: props.environment,
      logRetention: props.logRetention,
    });
    const stack = Stack.of(this);
    const schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to run the KSeF job queue watchdog',
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    new Schedule(this, 'Schedule', {
      description: 'Runs the KSeF job queue watchdog',
      schedule: ScheduleExpression.rate(WATCHDOG_INTERVAL),
      target: new LambdaInvoke(this.function, {
        role: schedulerRole,
        deadLetterQueue: props.deadLetterQueue,
        // A missed tick is repaired by the next one five minutes later; stale ticks are useless.
        maxEventAge: Duration.minutes(5),
        retryAttempts: 2,
      }),
    });
    acknowledgeWildcardResource(
      schedulerRole,
      `${this.function.functionArn}:*`,
      'Versions and aliases of the watchdog function itself (added by the Scheduler Lambda target); nothing else.',
    );
  }
}
