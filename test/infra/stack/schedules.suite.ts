import { describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { AWS_ENV } from '../../../functions/wiring/aws-env.js';
import { quiet } from '../shared-stacks.js';
import {
  asList,
  lambdaFunction,
  lambdaFunctions,
  render,
  resourcesAllowed,
  resourcesOfType,
  statementsOfRole,
  type PolicyStatement,
} from '../template-helpers.js';

const { template, config } = quiet;
const prefix = config.stackName;

const [group] = resourcesOfType(template, 'AWS::Scheduler::ScheduleGroup');
const schedulerRoleArn = render(lambdaFunction(template, `${prefix}-api`).environment[AWS_ENV.schedulerRoleArn]);
const schedulerRoleId = schedulerRoleArn.replace(/^\{(.+)\.Arn\}$/, '$1');
const schedulerRole = resourcesOfType(template, 'AWS::IAM::Role').find((role) => role.logicalId === schedulerRoleId);
const [deadLetterQueue] = resourcesOfType(template, 'AWS::SQS::Queue');
const codeUnitArns = CODE_UNIT_IDS.map((id) => `{${lambdaFunction(template, `${prefix}-${id}`).logicalId}.Arn}`);
const scheduleArnPattern = `arn:{AWS::Partition}:scheduler:{AWS::Region}:{AWS::AccountId}:schedule/${prefix}/*`;
const MANAGE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:GetSchedule', 'scheduler:DeleteSchedule'];

describe('the schedules', () => {
  test('the stack has a schedule group named after the stack', () => {
    expect(group?.properties.Name).toBe(prefix);
  });

  test('every function is given the scheduler role and the schedule dead-letter queue', () => {
    for (const fn of lambdaFunctions(template)) {
      expect(render(fn.environment[AWS_ENV.schedulerRoleArn]), fn.name).toBe(schedulerRoleArn);
      expect(render(fn.environment[AWS_ENV.scheduleDlqArn]), fn.name).toBe(`{${deadLetterQueue?.logicalId}.Arn}`);
    }
  });

  test('only EventBridge Scheduler, for this account and schedule group, may assume the scheduler role', () => {
    const trust = (schedulerRole?.properties.AssumeRolePolicyDocument as { Statement: PolicyStatement[] }).Statement;

    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { 'Fn::GetAtt': [group?.logicalId, 'Arn'] } },
      },
    });
  });

  test('the scheduler role may invoke only the code-unit functions', () => {
    expect(resourcesAllowed(template, schedulerRoleId, 'lambda:InvokeFunction').sort()).toEqual([...codeUnitArns].sort());
  });

  test('the scheduler role may do nothing but invoke code units and dead-letter undelivered invocations', () => {
    const actions = statementsOfRole(template, schedulerRoleId).flatMap((statement) => asList(statement.Action));

    expect(new Set(actions)).toEqual(new Set(['lambda:InvokeFunction', 'sqs:SendMessage']));
    expect(resourcesAllowed(template, schedulerRoleId, 'sqs:SendMessage')).toEqual([`{${deadLetterQueue?.logicalId}.Arn}`]);
  });

  test('the functions may manage schedules only in the stack\'s schedule group', () => {
    for (const fn of lambdaFunctions(template)) {
      for (const action of MANAGE_ACTIONS) {
        expect(resourcesAllowed(template, fn.roleLogicalId, action), `${fn.name} ${action}`).toEqual([scheduleArnPattern]);
      }
    }
  });

  test('the functions may pass only the scheduler role, and only to EventBridge Scheduler', () => {
    for (const fn of lambdaFunctions(template)) {
      const passRole = statementsOfRole(template, fn.roleLogicalId).filter((s) => asList(s.Action).includes('iam:PassRole'));

      expect(passRole, fn.name).toHaveLength(1);
      expect(render(passRole[0]?.Resource), fn.name).toBe(schedulerRoleArn);
      expect(passRole[0]?.Condition, fn.name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  test('only the watchdog may list schedules', () => {
    const listers = lambdaFunctions(template)
      .filter((fn) => resourcesAllowed(template, fn.roleLogicalId, 'scheduler:ListSchedules').length > 0)
      .map((fn) => fn.name);

    expect(listers).toEqual([`${prefix}-watchdog`]);
  });

  test('the schedule dead-letter queue is encrypted', () => {
    expect(deadLetterQueue?.properties.SqsManagedSseEnabled).toBe(true);
  });

  test('the schedule dead-letter queue rejects unencrypted transport', () => {
    const [policy] = resourcesOfType(template, 'AWS::SQS::QueuePolicy');
    const statements = (policy?.properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;

    expect(asList(policy?.properties.Queues).map(render)).toEqual([`{${deadLetterQueue?.logicalId}}`]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('the watchdog runs every five minutes', () => {
    const watchdog = lambdaFunction(template, `${prefix}-watchdog`);
    const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule');
    const watchdogSchedule = schedules.find((s) => render((s.properties.Target as { Arn: unknown }).Arn) === `{${watchdog.logicalId}.Arn}`);

    expect(schedules).toHaveLength(1);
    expect(watchdogSchedule?.properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
  });

  test('the watchdog\'s schedule stays out of the group the reconciler manages', () => {
    const [watchdogSchedule] = resourcesOfType(template, 'AWS::Scheduler::Schedule');

    expect(watchdogSchedule?.properties.GroupName).toBeUndefined();
    expect(render((watchdogSchedule?.properties.Target as { RoleArn: unknown }).RoleArn)).not.toBe(schedulerRoleArn);
  });

  test('a watchdog invocation that cannot be delivered goes to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueue?.logicalId, 'Arn'] } } },
    });
  });
});
