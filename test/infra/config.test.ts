import { describe, expect, test } from 'vitest';
import { InfraConfigError, loadInfraConfig } from '../../infra/config.js';

const noContext = () => undefined;
const context = (values: Record<string, unknown>) => (key: string) => values[key];

describe('the CDK configuration', () => {
  test('with nothing configured the stack is KsefJobQueues with 90 days of logs and no e-mail', () => {
    expect(loadInfraConfig(noContext, {})).toEqual({ stackName: 'KsefJobQueues', logRetentionDays: 90 });
  });

  test('environment variables configure the stack', () => {
    const config = loadInfraConfig(noContext, {
      KSEF_STACK_NAME: 'KsefAcme',
      KSEF_LOG_RETENTION_DAYS: '365',
      KSEF_ALARM_EMAIL: 'oncall@example.com',
      KSEF_SENDER_ADDRESS: 'ksef@example.com',
    });

    expect(config).toEqual({
      stackName: 'KsefAcme',
      logRetentionDays: 365,
      alarmEmail: 'oncall@example.com',
      senderAddress: 'ksef@example.com',
    });
  });

  test('CDK context wins over the environment', () => {
    const config = loadInfraConfig(context({ stackName: 'FromContext' }), { KSEF_STACK_NAME: 'FromEnv' });

    expect(config.stackName).toBe('FromContext');
  });

  test('empty values count as not configured', () => {
    expect(loadInfraConfig(noContext, { KSEF_ALARM_EMAIL: '' }).alarmEmail).toBeUndefined();
  });

  test('a retention period CloudWatch does not offer is refused, naming the key and its variable', () => {
    expect(() => loadInfraConfig(noContext, { KSEF_LOG_RETENTION_DAYS: '100' })).toThrow(
      /logRetentionDays \(context "logRetentionDays" or KSEF_LOG_RETENTION_DAYS\): must be a CloudWatch Logs retention period/,
    );
  });

  test('a stack name too long for the function names is refused', () => {
    expect(() => loadInfraConfig(context({ stackName: 'K'.repeat(46) }), {})).toThrow(/stackName .*at most 45 characters/);
  });

  test('a stack name CloudFormation would reject is refused', () => {
    expect(() => loadInfraConfig(context({ stackName: '1st_stack' }), {})).toThrow(InfraConfigError);
  });

  test('every bad value is reported at once', () => {
    const error = captureError(() => loadInfraConfig(noContext, { KSEF_ALARM_EMAIL: 'not-an-address', KSEF_SENDER_ADDRESS: 'nope' }));

    expect(error).toBeInstanceOf(InfraConfigError);
    expect(error.message).toMatch(/alarmEmail .*must be an e-mail address/);
    expect(error.message).toMatch(/senderAddress .*must be an e-mail address/);
  });
});

function captureError(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
