import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { configured, quiet as quietStack } from '../shared-stacks.js';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { AWS_ENV } from '../../../functions/wiring/aws-env.js';
import { AWS_METRICS } from '../../../functions/wiring/aws-metrics.js';
import { NOTIFICATION_ENV } from '../../../functions/wiring/notification-config.js';
import { asList, identityStatements, lambdaFunction, lambdaFunctions, render, resourcesOfType } from '../template-helpers.js';

const { template, config } = configured;
/** The same stack with nothing optional configured. */
const { template: quiet } = quietStack;
const prefix = config.stackName;
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

  test('the entries-in-Error alarm watches exactly the metric the watchdog logs (EMF), for this stack\'s schedule group', () => {
    const watchdog = lambdaFunction(template, `${prefix}-watchdog`);
    const [alarm] = alarms.filter((a) => a.properties.MetricName === AWS_METRICS.entriesInError);

    // The watchdog logs the count under this dimension with the value of its SCHEDULE_GROUP_NAME.
    expect(alarm?.properties).toMatchObject({
      Namespace: AWS_METRICS.namespace,
      Dimensions: [{ Name: AWS_METRICS.scheduleGroupDimension, Value: watchdog.environment[AWS_ENV.scheduleGroupName] }],
      Statistic: 'Maximum',
      Period: 300,
    });
  });

  test('an entry left in Error raises an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: AWS_METRICS.namespace,
      MetricName: AWS_METRICS.entriesInError,
      Dimensions: [{ Name: AWS_METRICS.scheduleGroupDimension, Value: prefix }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
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

describe('e-mail notifications', () => {
  const senders = [...CODE_UNIT_IDS.map((id) => `${prefix}-${id}`), `${prefix}-watchdog`];
  const [identity] = resourcesOfType(template, 'AWS::SES::EmailIdentity');
  const [configurationSet] = resourcesOfType(template, 'AWS::SES::ConfigurationSet');

  test('the sender address is a stack parameter, defaulting to the configured one', () => {
    expect(template.toJSON().Parameters.SenderAddress).toMatchObject({ Type: 'String', Default: 'ksef@example.com' });
    expect(identity?.properties).toMatchObject({
      EmailIdentity: { Ref: 'SenderAddress' },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSet?.logicalId } },
    });
  });

  test('without a configured sender the deploy must name one', () => {
    expect(quiet.toJSON().Parameters.SenderAddress).not.toHaveProperty('Default');
  });

  test('bounced and complaining addresses are suppressed', () => {
    expect(configurationSet?.properties).toMatchObject({ SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } });
  });

  test('the code units and the watchdog may send e-mail only from the sender identity', () => {
    const configurationSetArn = `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:configuration-set/{${configurationSet?.logicalId}}`;
    for (const name of senders) {
      const fn = lambdaFunction(template, name);
      const sending = identityStatements(template)
        .filter((entry) => entry.roleLogicalId === fn.roleLogicalId)
        .map((entry) => entry.statement)
        .filter((statement) => asList(statement.Action).some((action) => action.startsWith('ses:')));

      expect(sending, name).toHaveLength(1);
      expect(sending[0]?.Action, name).toBe('ses:SendEmail');
      // As a set: @aws-cdk/aws-iam:minimizePolicies sorts the resources of a statement.
      expect(asList(sending[0]?.Resource).map(render).sort(), name).toEqual(
        [`arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:identity/{${identity?.logicalId}}`, configurationSetArn].sort(),
      );
      expect(sending[0]?.Condition, name).toEqual({ StringEquals: { 'ses:FromAddress': { Ref: 'SenderAddress' } } });
    }
  });

  test('the management API cannot send e-mail', () => {
    const api = lambdaFunction(template, `${prefix}-api`);
    const actions = identityStatements(template)
      .filter((entry) => entry.roleLogicalId === api.roleLogicalId)
      .flatMap((entry) => asList(entry.statement.Action));

    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  test('the functions that send e-mail are told the sender, the interval, the environment name and the configuration set', () => {
    for (const name of senders) {
      const fn = lambdaFunction(template, name);

      expect(fn.environment, name).toMatchObject({
        [NOTIFICATION_ENV.from]: { Ref: 'SenderAddress' },
        [NOTIFICATION_ENV.intervalMinutes]: '30',
        [NOTIFICATION_ENV.environmentName]: 'prod',
        [NOTIFICATION_ENV.sesConfigurationSet]: { Ref: configurationSet?.logicalId },
      });
    }
  });

  test('without configuration e-mails are limited to one an hour per queue and name the stack', () => {
    for (const name of senders) {
      const fn = lambdaFunction(quiet, name);

      expect(fn.environment[NOTIFICATION_ENV.intervalMinutes], name).toBe('60');
      expect(fn.environment[NOTIFICATION_ENV.environmentName], name).toBe(prefix);
    }
  });

  test('the links in the e-mails lead to the management API', () => {
    const apiUrl = render((template.toJSON().Outputs as Record<string, { Value: unknown }>).ApiUrl?.Value);

    for (const name of senders) {
      expect(render(lambdaFunction(template, name).environment[NOTIFICATION_ENV.apiBaseUrl]), name).toBe(apiUrl);
    }
  });

  test('the management API is not given the e-mail settings it does not use', () => {
    const api = lambdaFunction(template, `${prefix}-api`);

    for (const variable of [NOTIFICATION_ENV.from, NOTIFICATION_ENV.intervalMinutes, NOTIFICATION_ENV.environmentName, NOTIFICATION_ENV.apiBaseUrl]) {
      expect(api.environment, variable).not.toHaveProperty(variable);
    }
  });

  test('every function is told the sender address and the configuration set', () => {
    for (const fn of lambdaFunctions(template)) {
      expect(fn.environment[AWS_ENV.senderAddress], fn.name).toEqual({ Ref: 'SenderAddress' });
      expect(fn.environment[AWS_ENV.sesConfigurationSet], fn.name).toEqual({ Ref: configurationSet?.logicalId });
    }
  });
});

describe('outputs', () => {
  test('the stack outputs the API URL, the table, the schedule group, the dead-letter queue, the documents bucket and the KSeF secret', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(Object.keys(outputs).sort()).toEqual([
      'ApiInvokePolicyArn',
      'ApiUrl',
      'DocumentsBucketName',
      'KsefSecretArn',
      'ScheduleDeadLetterQueueUrl',
      'ScheduleGroupName',
      'SesConfigurationSet',
      'TableName',
    ]);
    expect(render(outputs.ApiUrl?.Value)).toMatch(/^https:\/\/\{ManagementApiHttpApi.*\}\.execute-api\.\{AWS::Region\}\.\{AWS::URLSuffix\}\/$/);
  });
});
