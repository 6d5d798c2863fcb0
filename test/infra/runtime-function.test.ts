import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, test } from 'vitest';
import { RuntimeFunction } from '../../infra/constructs/runtime-function.js';
import { CDK_JSON_CONTEXT } from './cdk-json-context.js';
import { lambdaFunction } from './template-helpers.js';

/*
 * Real esbuild bundling of two fixture handlers through RuntimeFunction, then the bundles are
 * imported and called, as Lambda's Node.js runtime would.
 */
const outdir = mkdtempSync(join(tmpdir(), 'ksef-bundle-'));
const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT } });
const stack = new Stack(app, 'BundlingFixture');
for (const [id, file] of [['Xsd', 'xsd-validating-handler.ts'], ['Plain', 'plain-handler.ts']] as const) {
  new RuntimeFunction(stack, id, {
    functionName: `fixture-${id.toLowerCase()}`,
    entry: fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)),
    description: 'bundling fixture',
    timeout: Duration.seconds(10),
    environment: {},
    logRetention: RetentionDays.ONE_DAY,
  });
}
app.synth();
const template = Template.fromStack(stack);

const bundleDir = (name: string): string => {
  const s3Key = (lambdaFunction(template, name).properties.Code as { S3Key: string }).S3Key;
  return join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
};
const importHandler = async <E, R>(name: string) =>
  ((await import(pathToFileURL(join(bundleDir(name), 'index.mjs')).href)) as { handler: (event: E) => Promise<R> }).handler;

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundles', () => {
  test('a bundle is one ES module with its source map and nothing else when it needs no runtime files', () => {
    expect(readdirSync(bundleDir('fixture-plain')).sort()).toEqual(['index.mjs', 'index.mjs.map']);
  });

  test('a bundled handler runs as an ES module', async () => {
    const handler = await importHandler<{ name: string }, string>('fixture-plain');

    expect(await handler({ name: 'KSeF' })).toBe('hello KSeF');
  });

  test('a bundle that uses xmllint-wasm ships the package beside it', () => {
    expect(readdirSync(join(bundleDir('fixture-xsd'), 'node_modules/xmllint-wasm'))).toEqual(
      expect.arrayContaining(['package.json', 'index-node.js', 'xmllint-node.js', 'xmllint.wasm']),
    );
  });

  test('a bundled handler validates XML against a schema with the shipped xmllint-wasm', async () => {
    const handler = await importHandler<{ xml: string }, { valid: boolean; errors: string[] }>('fixture-xsd');

    expect(await handler({ xml: '<invoice><number>7</number></invoice>' })).toEqual({ valid: true, errors: [] });
    const invalid = await handler({ xml: '<invoice><number>seven</number></invoice>' });
    expect(invalid.valid).toBe(false);
    expect(invalid.errors.join('\n')).toMatch(/number.*seven|seven.*positiveInteger/);
  });
});
