import { describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { AWS_ENV } from '../../../functions/wiring/aws-env.js';
import { quiet } from '../shared-stacks.js';
import { lambdaFunction, lambdaFunctions, render, resourcesOfType } from '../template-helpers.js';

const { template, config } = quiet;
const prefix = config.stackName;
const codeUnitNames = CODE_UNIT_IDS.map((id) => `${prefix}-${id}`);

describe('the functions', () => {
  test('there is one function per code unit, plus the API and the watchdog', () => {
    const names = lambdaFunctions(template).map((fn) => fn.name);

    expect(names.sort()).toEqual([...codeUnitNames, `${prefix}-api`, `${prefix}-watchdog`].sort());
  });

  test('every function runs on nodejs22.x on arm64', () => {
    for (const fn of lambdaFunctions(template)) {
      expect(fn.properties, fn.name).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  test('a code unit may run for the longest job timeout (900 s)', () => {
    for (const name of codeUnitNames) {
      expect(lambdaFunction(template, name).properties.Timeout, name).toBe(900);
    }
  });

  test('the API function finishes before API Gateway gives up', () => {
    expect(lambdaFunction(template, `${prefix}-api`).properties.Timeout).toBe(29);
  });

  test('every function is told the table, the schedule group, the scheduler role and the dead-letter queue', () => {
    for (const fn of lambdaFunctions(template)) {
      expect(Object.keys(fn.environment), fn.name).toEqual(
        expect.arrayContaining([AWS_ENV.tableName, AWS_ENV.scheduleGroupName, AWS_ENV.schedulerRoleArn, AWS_ENV.scheduleDlqArn]),
      );
      expect(fn.environment[AWS_ENV.scheduleGroupName], fn.name).toBe(prefix);
    }
  });

  test('every function knows the ARN of every code-unit function', () => {
    const expected = Object.fromEntries(
      CODE_UNIT_IDS.map((id) => [id, `arn:{AWS::Partition}:lambda:{AWS::Region}:{AWS::AccountId}:function:${prefix}-${id}`]),
    );

    for (const fn of lambdaFunctions(template)) {
      expect(JSON.parse(render(fn.environment[AWS_ENV.codeUnitFunctionArns])), fn.name).toEqual(expected);
    }
  });

  test('every function writes to a log group with the configured retention', () => {
    const retentionByGroup = new Map(
      resourcesOfType(template, 'AWS::Logs::LogGroup').map((group) => [group.logicalId, group.properties.RetentionInDays]),
    );

    for (const fn of lambdaFunctions(template)) {
      const logGroup = (fn.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(retentionByGroup.get(logGroup), fn.name).toBe(config.logRetentionDays);
    }
  });

  test('stack traces point at the TypeScript sources', () => {
    for (const fn of lambdaFunctions(template)) {
      expect(fn.environment.NODE_OPTIONS, fn.name).toBe('--enable-source-maps');
    }
  });
});
