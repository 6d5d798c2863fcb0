import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CODE_UNIT_IDS, type CodeUnitId } from '../../functions/domain/catalogue.js';

/*
 * Every function has a name derived from the stack name. Knowing the names up front lets each
 * function receive the ARNs of all code-unit functions (schedule targets, run-now) as plain strings,
 * without a CloudFormation reference from a function to itself or between functions (a cycle).
 */

export type FunctionRole = CodeUnitId | 'api' | 'watchdog';

export const functionName = (prefix: string, role: FunctionRole): string => `${prefix}-${role}`;

/** ARN of a function of this stack, built from its name (no reference to the function). */
export function functionArn(scope: Construct, prefix: string, role: FunctionRole): string {
  return Stack.of(scope).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: functionName(prefix, role),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The CODE_UNIT_FUNCTION_ARNS value: a JSON object of code unit id → function ARN. */
export function codeUnitFunctionArnsJson(scope: Construct, prefix: string): string {
  const arns = Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, functionArn(scope, prefix, id)]));
  return Stack.of(scope).toJsonString(arns);
}
