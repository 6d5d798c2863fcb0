import type { Template } from 'aws-cdk-lib/assertions';

/* Small readers over a synthesized template, so that the tests can state outcomes in plain terms. */

export interface Resource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

export function resourcesOfType(template: Template, type: string): Resource[] {
  return Object.entries(template.findResources(type)).map(([logicalId, resource]) => ({
    logicalId,
    type,
    properties: (resource as { Properties?: Record<string, unknown> }).Properties ?? {},
  }));
}

/**
 * Renders an intrinsic as text: {Ref: X} → `{X}`, {Fn::GetAtt: [X, Y]} → `{X.Y}`, Fn::Join joined.
 * `arn:{AWS::Partition}:scheduler:…` reads better in an assertion than nested JSON.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Ref' in node) return `{${String(node.Ref)}}`;
    if ('Fn::GetAtt' in node) return `{${(node['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
  }
  return JSON.stringify(value);
}

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface LambdaFunction extends Resource {
  readonly name: string;
  readonly roleLogicalId: string;
  readonly environment: Record<string, unknown>;
}

export function lambdaFunctions(template: Template): LambdaFunction[] {
  return resourcesOfType(template, 'AWS::Lambda::Function').map((fn) => ({
    ...fn,
    name: String(fn.properties.FunctionName),
    roleLogicalId: ((fn.properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'])[0] ?? '',
    environment: ((fn.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {},
  }));
}

export function lambdaFunction(template: Template, name: string): LambdaFunction {
  const found = lambdaFunctions(template).find((fn) => fn.name === name);
  if (!found) throw new Error(`no function named ${name}`);
  return found;
}

/** Every statement of every identity policy (AWS::IAM::Policy and inline role policies), with its role. */
export function identityStatements(template: Template): { roleLogicalId: string; statement: PolicyStatement }[] {
  const fromPolicies = resourcesOfType(template, 'AWS::IAM::Policy').flatMap((policy) => {
    const roles = asList(policy.properties.Roles as { Ref: string }[]).map((role) => role.Ref);
    const statements = (policy.properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    return roles.flatMap((roleLogicalId) => statements.map((statement) => ({ roleLogicalId, statement })));
  });
  const inline = resourcesOfType(template, 'AWS::IAM::Role').flatMap((role) =>
    asList(role.properties.Policies as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap((policy) =>
      policy.PolicyDocument.Statement.map((statement) => ({ roleLogicalId: role.logicalId, statement })),
    ),
  );
  return [...fromPolicies, ...inline];
}

export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  return identityStatements(template)
    .filter((entry) => entry.roleLogicalId === roleLogicalId)
    .map((entry) => entry.statement);
}

/** Rendered resources of the Allow statements of a role that grant `action`. */
export function resourcesAllowed(template: Template, roleLogicalId: string, action: string): string[] {
  return statementsOfRole(template, roleLogicalId)
    .filter((statement) => statement.Effect === 'Allow' && asList(statement.Action).includes(action))
    .flatMap((statement) => asList(statement.Resource).map(render));
}
