import { describe, expect, test } from 'vitest';
import { quiet } from '../shared-stacks.js';
import { asList, identityStatements, lambdaFunctions, render, resourcesOfType, statementsOfRole, type PolicyStatement } from '../template-helpers.js';

const { template } = quiet;

/** Resource policies and managed policies: statements not attached to one of the stack's roles. */
const resourcePolicyStatements = [
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::S3::BucketPolicy',
  'AWS::IAM::ManagedPolicy',
].flatMap((type) =>
  resourcesOfType(template, type).flatMap((policy) => (policy.properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement),
);
const allowStatements = [...identityStatements(template).map((entry) => entry.statement), ...resourcePolicyStatements].filter(
  (statement) => statement.Effect === 'Allow',
);

const TABLE_ITEM_ACTIONS = new Set([
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

describe('least privilege', () => {
  test('no IAM statement allows every action', () => {
    expect(allowStatements.length).toBeGreaterThan(0);
    for (const statement of allowStatements) {
      for (const action of asList(statement.Action)) {
        expect(action, JSON.stringify(statement)).not.toMatch(/(^|:)\*$/);
      }
    }
  });

  test('the only statement on every resource is the read-only ListSchedules, which IAM cannot scope', () => {
    const onEverything = allowStatements.filter((statement) => asList(statement.Resource).some((resource) => resource === '*'));

    expect(onEverything.flatMap((statement) => asList(statement.Action))).toEqual(['scheduler:ListSchedules']);
  });

  test('the functions may read and write table items and indexes, not manage the table', () => {
    const [table] = resourcesOfType(template, 'AWS::DynamoDB::Table');
    for (const fn of lambdaFunctions(template)) {
      const tableStatements = statementsOfRole(template, fn.roleLogicalId).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );

      expect(tableStatements, fn.name).toHaveLength(1);
      expect(new Set(asList(tableStatements[0]?.Action)), fn.name).toEqual(TABLE_ITEM_ACTIONS);
      expect(asList(tableStatements[0]?.Resource).map(render), fn.name).toEqual([
        `{${table?.logicalId}.Arn}`,
        `{${table?.logicalId}.Arn}/index/*`,
      ]);
    }
  });

  test('no role carries a managed policy', () => {
    for (const role of resourcesOfType(template, 'AWS::IAM::Role')) {
      expect(role.properties.ManagedPolicyArns, role.logicalId).toBeUndefined();
    }
  });

  test('each function may write logs only to its own log group', () => {
    for (const fn of lambdaFunctions(template)) {
      const ownLogGroup = `{${(fn.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref}.Arn}`;
      const logStatements = statementsOfRole(template, fn.roleLogicalId).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('logs:')),
      );

      expect(logStatements, fn.name).toHaveLength(1);
      expect(new Set(asList(logStatements[0]?.Action)), fn.name).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents']));
      expect(asList(logStatements[0]?.Resource).map(render), fn.name).toEqual([ownLogGroup]);
    }
  });

  test('no function may invoke itself or the watchdog', () => {
    const functionArns = new Map(lambdaFunctions(template).map((fn) => [`{${fn.logicalId}.Arn}`, fn.name]));
    for (const fn of lambdaFunctions(template)) {
      const invocable = statementsOfRole(template, fn.roleLogicalId)
        .filter((statement) => asList(statement.Action).includes('lambda:InvokeFunction'))
        .flatMap((statement) => asList(statement.Resource).map(render))
        .map((arn) => functionArns.get(arn) ?? arn);

      expect(invocable, fn.name).not.toContain(fn.name);
      expect(invocable.some((name) => name.endsWith('-watchdog')), fn.name).toBe(false);
    }
  });
});
