import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { TABLE_KEYS } from '../../../functions/adapters/aws/table-layout.js';
import { quiet } from '../shared-stacks.js';
import { resourcesOfType } from '../template-helpers.js';

const { template } = quiet;

describe('the jobs table', () => {
  test('the stack has exactly one table', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  test('the table is keyed as the Dynamo adapters expect', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      ]),
    });
  });

  test('the table has the gsi1 index projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE_KEYS.gsi1Name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.gsi1PartitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.gsi1SortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  test('expired items are deleted through the ttl attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    });
  });

  test('the table has point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('the table is billed on demand and encrypted at rest', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
    });
  });

  test('deleting the stack keeps the table and its data', () => {
    const [table] = resourcesOfType(template, 'AWS::DynamoDB::Table');
    const raw = template.toJSON().Resources[table!.logicalId];
    expect(raw.DeletionPolicy).toBe('Retain');
    expect(raw.UpdateReplacePolicy).toBe('Retain');
    expect(table!.properties.DeletionProtectionEnabled).toBe(true);
  });
});
