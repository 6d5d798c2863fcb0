import type { FunctionRole } from '../../../infra/constructs/function-names.js';
import { makeTestStack } from '../../infra/make-test-stack.js';
import { lambdaFunction } from '../../infra/template-helpers.js';

/*
 * The environment the synthesized stack gives a function, made concrete for the local stand-ins:
 * literal values are kept as they are, CloudFormation's pseudo parameters take local values, and a
 * value that names a resource or a parameter (the table, the bucket, the secret …) takes the local
 * stand-in's value given for that variable. A variable the stack sets from a resource with no local
 * value fails the test: the stand-ins must follow the stack.
 */

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-central-1',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolvePseudo(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return PSEUDO_PARAMETERS[node.Ref];
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    const resolved = parts.map(resolvePseudo);
    return resolved.every((part): part is string => part !== undefined) ? resolved.join(separator) : undefined;
  }
  return undefined;
}

export interface StackEnvironments {
  /** The stack's schedule group name (a literal: the stack name). */
  readonly scheduleGroup: string;
  /** The function's environment, with `local` for every variable the stack sets from a resource or parameter. */
  resolve(role: FunctionRole, local: Readonly<Record<string, string>>): Record<string, string>;
}

export async function stackEnvironments(roles: readonly FunctionRole[]): Promise<StackEnvironments> {
  const { template, config } = makeTestStack();
  const environments = new Map(roles.map((role) => [role, lambdaFunction(template, `${config.stackName}-${role}`).environment]));
  const scheduleGroup = environments.get(roles[0] as FunctionRole)?.SCHEDULE_GROUP_NAME;
  if (typeof scheduleGroup !== 'string') throw new Error('The stack no longer sets SCHEDULE_GROUP_NAME to a literal.');
  return {
    scheduleGroup,
    resolve(role, local) {
      const resolved: Record<string, string> = {};
      for (const [name, value] of Object.entries(environments.get(role) ?? {})) {
        const concrete = typeof value === 'string' ? value : (local[name] ?? resolvePseudo(value));
        if (concrete === undefined) throw new Error(`The stack sets ${name} of ${role} from ${JSON.stringify(value)}; give the bundle test a local value for it.`);
        resolved[name] = concrete;
      }
      return resolved;
    },
  };
}
