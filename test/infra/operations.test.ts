import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { makeTestStack } from './make-test-stack.js';
import { lambdaFunctions, render, resourcesOfType } from './template-helpers.js';

const { template } = makeTestStack({ alarmEmail: 'oncall@example.com' });
const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
const [topic] = resourcesOfType(template, 'AWS::SNS::Topic');

describe('alarms', () => {
  test('messages in the schedule dead-letter queue raise an alarm', () => {
    const [queue] = resourcesOfType(template, 'AWS::SQS::Queue');
    const dlqAlarms = alarms.filter((alarm) => alarm.properties.Namespace === 'AWS/SQS');

    expect(dlqAlarms).toHaveLength(1);
    expect(dlqAlarms[0]?.properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue?.logicalId, 'QueueName'] } }],
    });
  });

  test('every function raises an alarm when it fails', () => {
    const watched = alarms
      .filter((alarm) => alarm.properties.Namespace === 'AWS/Lambda' && alarm.properties.MetricName === 'Errors')
      .map((alarm) => render((alarm.properties.Dimensions as { Value: unknown }[])[0]?.Value));

    expect(watched.sort()).toEqual(lambdaFunctions(template).map((fn) => `{${fn.logicalId}}`).sort());
  });

  test('every alarm and its recovery are published to the alarm topic', () => {
    for (const alarm of alarms) {
      expect(alarm.properties.AlarmActions, alarm.logicalId).toEqual([{ Ref: topic?.logicalId }]);
      expect(alarm.properties.OKActions, alarm.logicalId).toEqual([{ Ref: topic?.logicalId }]);
    }
  });

  test('the configured alarm address is subscribed to the alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topic?.logicalId },
    });
  });

  test('without an alarm address nobody is subscribed', () => {
    const { template: quiet } = makeTestStack();

    quiet.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('the alarm topic rejects unencrypted transport', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('outputs', () => {
  test('the stack outputs the API URL, the table, the schedule group and the dead-letter queue', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'ScheduleDeadLetterQueueUrl', 'ScheduleGroupName', 'TableName']);
    expect(render(outputs.ApiUrl?.Value)).toMatch(/^https:\/\/\{ManagementApiHttpApi.*\}\.execute-api\.\{AWS::Region\}\.\{AWS::URLSuffix\}\/$/);
  });
});
