import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PowertoolsMetricsAdapter } from '../adapters/powertools/powertools-metrics.js';
import { powertoolsLogger } from '../adapters/powertools/powertools-logger.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import { readAwsEnvironment, type AwsEnvironment } from './aws-env.js';
import { AWS_METRICS } from './aws-metrics.js';

/*
 * What one Lambda container creates once, on first use, and keeps for every invocation after: the
 * parsed environment, one client per AWS service, the logger and the metrics. Each function's
 * bundle keeps only the clients its code reaches. The clients take their region, credentials and
 * endpoint from the Lambda environment (AWS_ENDPOINT_URL_<SERVICE> points them at stand-ins in the
 * bundle test).
 */

function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export const awsEnvironment = once((): AwsEnvironment => readAwsEnvironment(process.env));

export const awsClients = {
  dynamo: once(() => new DynamoDBClient({})),
  scheduler: once(() => new SchedulerClient({})),
  lambda: once(() => new LambdaClient({})),
  s3: once(() => new S3Client({})),
  secrets: once(() => new SecretsManagerClient({})),
  ses: once(() => new SESv2Client({})),
};

/** Powertools Logger; its level comes from LOG_LEVEL, which the stack sets. */
export const awsLogger = once((): Logger => powertoolsLogger({ serviceName: AWS_METRICS.serviceName }));

/** Powertools Metrics in the stack's namespace, every point with the stack's schedule group. */
export const awsMetrics = once(
  (): Metrics =>
    new PowertoolsMetricsAdapter({
      namespace: AWS_METRICS.namespace,
      serviceName: AWS_METRICS.serviceName,
      defaultDimensions: { [AWS_METRICS.scheduleGroupDimension]: awsEnvironment().scheduleGroupName },
    }),
);
