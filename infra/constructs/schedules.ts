import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup, type IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeRule, acknowledgeWildcardResource } from './acknowledge.js';

export const SCHEDULER_SERVICE = 'scheduler.amazonaws.com';

/** What the functions do with the per-entry schedules (the ScheduleGateway port). */
const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:GetSchedule',
  'scheduler:DeleteSchedule',
] as const;

export interface JobSchedulesProps {
  /** Name of the schedule group that holds one schedule per job queue entry. */
  readonly scheduleGroupName: string;
}

/**
 * Everything the per-entry schedules need, which the functions create at runtime: the schedule
 * group they live in, the role EventBridge Scheduler assumes to invoke the code units, and the
 * dead-letter queue for invocations that could not be delivered.
 */
export class JobSchedules extends Construct {
  readonly group: IScheduleGroup;
  readonly schedulerRole: IRole;
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: JobSchedulesProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: props.scheduleGroupName,
      // The group holds only runtime state that the watchdog can recreate from the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRule(
      this.deadLetterQueue,
      'SQS3',
      'This queue is the dead-letter queue: the per-entry schedules, created at runtime, name it as theirs.',
    );

    // Only Scheduler, on behalf of this account and this group, may assume the role.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the KSeF code-unit functions',
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
  }

  /** The schedules may invoke these functions (the code units) and nothing else. */
  allowSchedulesToInvoke(functions: readonly IFunction[]): void {
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functions.map((fn) => fn.functionArn) }),
    );
  }

  /**
   * Create, change, read and delete schedules in this group only, and hand them the scheduler
   * role. `list` adds ListSchedules, which IAM cannot scope to a group (the action has no resource
   * type, so only `*` matches); it is read-only and given only to the reconciler.
   */
  grantManageSchedules(grantee: IGrantable, options: { readonly list?: boolean } = {}): void {
    const principal = grantee.grantPrincipal;
    const scope = principal as unknown as IConstruct;
    principal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...SCHEDULE_ACTIONS], resources: [this.scheduleArnPattern()] }),
    );
    acknowledgeWildcardResource(
      scope,
      this.scheduleArnPattern(),
      'Schedules are created at runtime, one per job queue entry; the wildcard spans this stack\'s schedule group only.',
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': SCHEDULER_SERVICE } },
      }),
    );
    if (options.list) {
      principal.addToPrincipalPolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['scheduler:ListSchedules'], resources: ['*'] }),
      );
      acknowledgeWildcardResource(
        scope,
        '*',
        'scheduler:ListSchedules has no resource type in IAM, so only * matches; it is read-only and the only action on *.',
      );
    }
  }

  /** `arn:…:scheduler:<region>:<account>:schedule/<group>/*` */
  scheduleArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
    });
  }
}
