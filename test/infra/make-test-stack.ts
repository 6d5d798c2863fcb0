import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { InfraConfigSchema, type InfraConfig } from '../../infra/config.js';
import { KsefJobQueuesStack } from '../../infra/stacks/ksef-job-queues-stack.js';
import { CDK_JSON_CONTEXT } from './cdk-json-context.js';

export interface TestStack {
  readonly stack: KsefJobQueuesStack;
  readonly template: Template;
  readonly config: InfraConfig;
}

/**
 * Builds the stack as infra/app.ts does, with the defaults plus `overrides`. Bundling is skipped
 * (CDK's own `aws:cdk:bundling-stacks` switch) because these tests look at the template; the CLI
 * synth test bundles for real.
 */
export function makeTestStack(overrides: Partial<InfraConfig> = {}): TestStack {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const config = InfraConfigSchema.parse(overrides);
  const stack = new KsefJobQueuesStack(app, 'KsefJobQueues', { config });
  return { stack, template: Template.fromStack(stack), config };
}
