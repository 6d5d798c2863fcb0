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
const raw = template.toJSON().Resources as Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

const documentsBucket = lambdaFunction(template, `${prefix}-api`).environment[AWS_ENV.documentsBucket] as { Ref: string };
const bucketId = documentsBucket.Ref;
const bucket = resourcesOfType(template, 'AWS::S3::Bucket').find((b) => b.logicalId === bucketId);
const logging = bucket?.properties.LoggingConfiguration as { DestinationBucketName: { Ref: string }; LogFilePrefix: string };
const logBucket = resourcesOfType(template, 'AWS::S3::Bucket').find((b) => b.logicalId === logging?.DestinationBucketName.Ref);
const policyOf = (id: string | undefined): PolicyStatement[] =>
  (
    resourcesOfType(template, 'AWS::S3::BucketPolicy').find((p) => render(p.properties.Bucket) === `{${id}}`)?.properties.PolicyDocument as {
      Statement: PolicyStatement[];
    }
  ).Statement;

/** `outgoing/*` for the object ARN `{Bucket.Arn}/outgoing/*` of the documents bucket, or the ARN as is. */
const prefixOf = (arn: string): string => arn.replace(`{${bucketId}.Arn}/`, '');
const prefixesAllowed = (name: string, action: string): string[] =>
  resourcesAllowed(template, lambdaFunction(template, name).roleLogicalId, action).map(prefixOf).sort();

/** What each function does with the documents (functions/use-cases, functions/code-units). */
const EXPECTED: Record<string, { put: string[]; get: string[] }> = {
  api: { put: ['outgoing/*'], get: ['incoming/*', 'outgoing/*', 'upo/*'] },
  'send-documents': { put: [], get: ['outgoing/*'] },
  'process-sessions': { put: [], get: [] },
  'process-upo': { put: ['upo/*'], get: ['upo/*'] },
  'update-ledgers': { put: [], get: [] },
  'incoming-documents': { put: ['incoming/*'], get: ['incoming/*'] },
  watchdog: { put: [], get: [] },
};

describe('the documents bucket', () => {
  test('the documents bucket blocks all public access and is versioned and encrypted', () => {
    expect(bucket?.properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('the documents bucket refuses requests without TLS 1.2', () => {
    const denials = policyOf(bucketId).filter((s) => s.Effect === 'Deny');

    expect(denials).toContainEqual(expect.objectContaining({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(denials).toContainEqual(expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
  });

  test('deleting the stack keeps the documents and their access logs', () => {
    for (const id of [bucketId, logBucket?.logicalId ?? '']) {
      expect(raw[id]?.DeletionPolicy, id).toBe('Retain');
      expect(raw[id]?.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  test('documents never expire', () => {
    const rules = (bucket?.properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    for (const rule of rules) {
      expect(rule).not.toHaveProperty('ExpirationInDays');
      expect(rule).not.toHaveProperty('NoncurrentVersionExpiration');
    }
  });

  test('every request to the documents bucket is recorded in a private, encrypted access log bucket', () => {
    expect(logBucket, 'log bucket').toBeDefined();
    expect(logBucket?.logicalId).not.toBe(bucketId);
    expect(logBucket?.properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(logBucket?.properties.AccessControl).toBeUndefined();
  });

  test('only S3 log delivery from the documents bucket may write the access logs', () => {
    const allows = policyOf(logBucket?.logicalId).filter((s) => s.Effect === 'Allow');

    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } });
    expect(render(allows[0]?.Condition?.ArnLike?.['aws:SourceArn'])).toBe(`{${bucketId}.Arn}`);
    expect(render(allows[0]?.Resource)).toBe(`{${logBucket?.logicalId}.Arn}/${logging.LogFilePrefix}*`);
  });

  test('the code units and the API are told the bucket; the watchdog, which has no use for it, is not', () => {
    for (const fn of lambdaFunctions(template)) {
      if (fn.name.endsWith('-watchdog')) expect(fn.environment, fn.name).not.toHaveProperty(AWS_ENV.documentsBucket);
      else expect(fn.environment[AWS_ENV.documentsBucket], fn.name).toEqual({ Ref: bucketId });
    }
  });

  test('each function may write only the bucket prefixes it needs', () => {
    for (const [role, expected] of Object.entries(EXPECTED)) {
      expect(prefixesAllowed(`${prefix}-${role}`, 's3:PutObject'), role).toEqual(expected.put);
    }
  });

  test('each function may read only the bucket prefixes it needs, and what it writes', () => {
    for (const [role, expected] of Object.entries(EXPECTED)) {
      expect(prefixesAllowed(`${prefix}-${role}`, 's3:GetObject'), role).toEqual(expected.get);
    }
  });

  test('the expectations above cover every function', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...CODE_UNIT_IDS, 'api', 'watchdog'].sort());
  });

  test('only the API may list the bucket, so that a document not stored yet is a 404 and not a 403', () => {
    const listers = lambdaFunctions(template).filter((fn) => resourcesAllowed(template, fn.roleLogicalId, 's3:ListBucket').length > 0);

    expect(listers.map((fn) => fn.name)).toEqual([`${prefix}-api`]);
    expect(resourcesAllowed(template, listers[0]?.roleLogicalId ?? '', 's3:ListBucket')).toEqual([`{${bucketId}.Arn}`]);
  });

  test('no function may delete documents, change the bucket or reach other versions', () => {
    const objectActions = new Set(['s3:GetObject', 's3:PutObject', 's3:ListBucket']);
    for (const fn of lambdaFunctions(template)) {
      const s3Actions = statementsOfRole(template, fn.roleLogicalId)
        .flatMap((statement) => asList(statement.Action))
        .filter((action) => action.startsWith('s3:'));

      expect(s3Actions.filter((action) => !objectActions.has(action)), fn.name).toEqual([]);
    }
  });
});
