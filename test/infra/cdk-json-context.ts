import { readFileSync } from 'node:fs';

/**
 * The context of cdk.json (the feature flags): the CLI hands it to infra/app.ts, while an App made
 * in a test sees none of it, so tests pass it on to look at the stack `cdk synth` builds.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;
