import { afterEach, describe, expect, test, vi } from 'vitest';
import { readAwsDocumentsConfig } from '../../functions/wiring/aws-documents.js';
import { AWS_ENV } from '../../functions/wiring/aws-env.js';

/* How the API Lambda picks its notification store and documents from the environment CDK sets. */

const ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:x';
const BASE_ENV = {
  [AWS_ENV.tableName]: 'jobs',
  [AWS_ENV.scheduleGroupName]: 'ksef',
  [AWS_ENV.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/scheduler',
  [AWS_ENV.scheduleDlqArn]: 'arn:aws:sqs:eu-central-1:123456789012:dlq',
  [AWS_ENV.codeUnitFunctionArns]: JSON.stringify({
    'send-documents': ARN,
    'process-sessions': ARN,
    'process-upo': ARN,
    'update-ledgers': ARN,
    'incoming-documents': ARN,
  }),
};

async function freshApiDeps(env: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(name, value);
  const { awsApiDeps } = await import('../../functions/wiring/aws-api.js');
  // The classes of the same module instances as the wiring's.
  const { DynamoNotificationStore } = await import('../../functions/adapters/aws/dynamo-notification-store.js');
  const { S3DocumentStore } = await import('../../functions/adapters/aws/s3-document-store.js');
  return { deps: awsApiDeps(), DynamoNotificationStore, S3DocumentStore };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the documents configuration on AWS', () => {
  test('neither DOCUMENTS_BUCKET nor KSEF_NIP: documents are off', () => {
    expect(readAwsDocumentsConfig({})).toBeUndefined();
    expect(readAwsDocumentsConfig({ DOCUMENTS_BUCKET: ' ', KSEF_NIP: '' })).toBeUndefined();
  });

  test('both: the bucket and the company NIP', () => {
    expect(readAwsDocumentsConfig({ DOCUMENTS_BUCKET: 'ksef-docs', KSEF_NIP: '5265877635' })).toEqual({ bucket: 'ksef-docs', companyNip: '5265877635' });
  });

  test('one without the other, or a NIP with a wrong check digit, is refused naming the variable', () => {
    expect(() => readAwsDocumentsConfig({ DOCUMENTS_BUCKET: 'ksef-docs' })).toThrow('KSEF_NIP is required when DOCUMENTS_BUCKET is set.');
    expect(() => readAwsDocumentsConfig({ KSEF_NIP: '5265877635' })).toThrow('DOCUMENTS_BUCKET is required when KSEF_NIP is set.');
    expect(() => readAwsDocumentsConfig({ DOCUMENTS_BUCKET: 'ksef-docs', KSEF_NIP: '5265877636' })).toThrow("KSEF_NIP '5265877636' has a wrong check digit.");
  });
});

describe('the API dependencies on AWS', () => {
  test('always have the notification store in the table, and the documents on S3 when configured', async () => {
    const { deps, DynamoNotificationStore, S3DocumentStore } = await freshApiDeps({ [AWS_ENV.documentsBucket]: 'ksef-docs', [AWS_ENV.ksefNip]: '5265877635' });

    expect(deps.notifications).toBeInstanceOf(DynamoNotificationStore);
    expect(deps.notifications).toMatchObject({ tableName: 'jobs' });
    expect(deps.documents?.companyNip).toBe('5265877635');
    expect(deps.documents?.blobs).toBeInstanceOf(S3DocumentStore);
    expect(deps.documents?.blobs).toMatchObject({ bucket: 'ksef-docs' });
  });

  test('leave the documents off, and the rest on, when their configuration is wrong', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Powertools' dev mode logs through the global console, which the spy sees.
    const { deps } = await freshApiDeps({ [AWS_ENV.documentsBucket]: 'ksef-docs', [AWS_ENV.ksefNip]: '123', POWERTOOLS_DEV: 'true' });

    expect(deps.documents).toBeUndefined();
    expect(deps.notifications).toBeDefined();
    expect(errors.mock.calls[0]?.[0]).toContain('KSEF_NIP');
    errors.mockRestore();
  });
});
