import { describe, expect, test } from 'vitest';
import { InfraConfigError, environmentNameOf, loadInfraConfig } from '../../infra/config.js';

const noContext = () => undefined;
const context = (values: Record<string, unknown>) => (key: string) => values[key];

describe('the CDK configuration', () => {
  test('with nothing configured the stack is KsefJobQueues with 90 days of logs, no e-mail, KSeF TEST and hourly notifications', () => {
    expect(loadInfraConfig(noContext, {})).toEqual({
      stackName: 'KsefJobQueues',
      logRetentionDays: 90,
      ksefEnv: 'TEST',
      notificationIntervalMinutes: 60,
    });
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
      ksefEnv: 'TEST',
      notificationIntervalMinutes: 60,
    });
  });

  test('the KSeF and notification settings are read from the variables the functions themselves read', () => {
    const config = loadInfraConfig(noContext, {
      KSEF_ENV: 'PROD',
      KSEF_BASE_URL: 'https://ksef-proxy.example.com/v2',
      KSEF_NIP: '5261040828',
      KSEF_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:acme/ksef-AbCdEf',
      NOTIFICATION_INTERVAL_MINUTES: '15',
      ENVIRONMENT_NAME: 'prod',
    });

    expect(config).toMatchObject({
      ksefEnv: 'PROD',
      ksefBaseUrl: 'https://ksef-proxy.example.com/v2',
      ksefNip: '5261040828',
      ksefSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:acme/ksef-AbCdEf',
      notificationIntervalMinutes: 15,
      environmentName: 'prod',
    });
  });

  test('a NIP with a wrong check digit is refused at synth, before anything is deployed', () => {
    expect(() => loadInfraConfig(context({ ksefNip: '5261040827' }), {})).toThrow(/ksefNip \(context "ksefNip" or KSEF_NIP\): has a wrong check digit/);
  });

  test('a NIP that is not 10 digits is refused', () => {
    expect(() => loadInfraConfig(context({ ksefNip: '526-104-08-28' }), {})).toThrow(/ksefNip .*must be 10 digits/);
  });

  test('only the public KSeF environments can be deployed to', () => {
    expect(() => loadInfraConfig(noContext, { KSEF_ENV: 'LOCAL' })).toThrow(/ksefEnv .*must be TEST, DEMO or PROD/);
  });

  test('a KSeF base URL that would carry the credentials in the clear is refused', () => {
    expect(() => loadInfraConfig(noContext, { KSEF_BASE_URL: 'http://127.0.0.1:8080/v2' })).toThrow(/ksefBaseUrl .*must be an https URL/);
  });

  test('an existing secret must be named by its complete ARN, so that IAM can name it exactly', () => {
    expect(() => loadInfraConfig(noContext, { KSEF_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:acme/ksef' })).toThrow(
      /ksefSecretArn .*complete ARN/,
    );
  });

  test('a notification interval the functions would refuse is refused at synth', () => {
    expect(() => loadInfraConfig(noContext, { NOTIFICATION_INTERVAL_MINUTES: '0' })).toThrow(/notificationIntervalMinutes .*at least 1/);
    expect(() => loadInfraConfig(noContext, { NOTIFICATION_INTERVAL_MINUTES: '90.5' })).toThrow(/whole number of minutes/);
  });

  test('the e-mails name the stack when no environment name is configured, cut to the length the functions accept', () => {
    expect(environmentNameOf(loadInfraConfig(noContext, {}))).toBe('KsefJobQueues');
    expect(environmentNameOf(loadInfraConfig(noContext, { ENVIRONMENT_NAME: 'prod' }))).toBe('prod');
    expect(environmentNameOf(loadInfraConfig(context({ stackName: `K${'x'.repeat(44)}` }), {}))).toHaveLength(40);
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
