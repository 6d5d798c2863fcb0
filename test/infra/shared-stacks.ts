import type { InfraConfig } from '../../infra/config.js';
import { makeTestStack } from './make-test-stack.js';

/*
 * The two stacks every suite of stack.test.ts looks at, built once for all of them: a synth takes
 * seconds, and each test file is a process of its own, so one file with one pair of stacks keeps
 * the infra tests cheap. Suites import these instead of building their own.
 */

/** Every optional setting given, each to a value that differs from its default. */
export const CONFIGURED: Partial<InfraConfig> = {
  alarmEmail: 'oncall@example.com',
  senderAddress: 'ksef@example.com',
  ksefEnv: 'PROD',
  ksefBaseUrl: 'https://ksef-proxy.example.com/v2',
  ksefNip: '5261040828',
  ksefSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:acme/ksef-AbCdEf',
  notificationIntervalMinutes: 30,
  environmentName: 'prod',
};

/** Nothing optional configured: what `cdk synth` gives a newcomer. */
export const quiet = makeTestStack();

export const configured = makeTestStack(CONFIGURED);
