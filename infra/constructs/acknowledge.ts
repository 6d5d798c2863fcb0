import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * cdk-nag (infra/compliance.ts) fails the synth on every finding that is not acknowledged. These
 * helpers acknowledge one precise finding, with its reason, on the construct it concerns, so that
 * a new finding of the same rule elsewhere still fails.
 */

export function acknowledgeRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}

/** Acknowledges AwsSolutions-IAM5 (wildcard) for one resource, given as CDK knows it (tokens allowed). */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  acknowledgeRule(scope, `IAM5[Resource::${renderForNag(Stack.of(scope).resolve(resource))}]`, reason);
}

/** cdk-nag's rendering of an intrinsic: {Ref: X} → <X>, {Fn::GetAtt: [X, Y]} → <X.Y>, joins joined. */
function renderForNag(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `<${String(node.Ref)}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(renderForNag).join(separator);
  }
  return JSON.stringify(value);
}
