import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance.js';
import { loadInfraConfig } from './config.js';
import { KsefJobQueuesStack } from './stacks/ksef-job-queues-stack.js';

const app = new App();
const config = loadInfraConfig((key) => app.node.tryGetContext(key), process.env);
// Environment-agnostic on purpose: synth needs no account, region or credentials.
new KsefJobQueuesStack(app, 'KsefJobQueues', { config });
addComplianceChecks(app);
app.synth();
