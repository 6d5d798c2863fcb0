import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { lambdaFunctions } from './template-helpers.js';

/*
 * The real command a newcomer types, `cdk synth`, through the CDK CLI, with real esbuild bundling,
 * in an environment with no AWS credentials, no AWS configuration and no instance metadata.
 */
const PROJECT_ROOT = new URL('../../', import.meta.url).pathname;
const CDK_CLI = join(PROJECT_ROOT, 'node_modules/aws-cdk/bin/cdk');
const SYNTH_TIMEOUT_MS = 240_000;

let workDir: string;
let outDir: string;
let result: { stdout: string; stderr: string };
let template: Template;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'ksef-synth-'));
  outDir = join(workDir, 'cdk.out');
  result = await promisify(execFile)(process.execPath, [CDK_CLI, 'synth', '--no-notices', '--quiet', '--output', outDir], {
    cwd: PROJECT_ROOT,
    timeout: SYNTH_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      HOME: workDir,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
      npm_config_update_notifier: 'false',
    },
  });
  template = Template.fromJSON(JSON.parse(readFileSync(join(outDir, 'KsefJobQueues.template.json'), 'utf8')));
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const assetDirOf = (s3Key: unknown): string => join(outDir, `asset.${String(s3Key).replace(/\.zip$/, '')}`);

describe('cdk synth', () => {
  test('synth needs no AWS credentials', () => {
    expect(existsSync(join(outDir, 'manifest.json'))).toBe(true);
    expect(result.stderr).not.toMatch(/Docker/i);
  });

  test('every feature flag the CDK recommends for a new app is set in cdk.json', () => {
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/feature flags? (is|are) not configured/i);
  });

  test('the synthesized stack has the table, the functions, the API, the schedule group, the scheduler role, the dead-letter queue, the documents and the KSeF secret', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    // The documents and their access logs.
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::Lambda::Function', CODE_UNIT_IDS.length + 2);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'scheduler.amazonaws.com' } }] },
    });
  });

  test('the stack passes cdk-nag\'s AWS Solutions checks, with only the reasoned acknowledgements', () => {
    const report = JSON.parse(readFileSync(join(outDir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations: { ruleName: string }[] }[];
    };
    const [awsSolutions] = report.pluginReports.filter((plugin) => plugin.pluginName === 'AwsSolutions');
    const acknowledged = new Set(awsSolutions?.suppressedViolations.map((violation) => violation.ruleName.replace(/\[.*\]$/, '')));

    expect(awsSolutions).toMatchObject({ conclusion: 'success', violations: [] });
    expect(acknowledged).toEqual(new Set(['AwsSolutions-SQS3', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SMG4']));
  });

  test('every function is bundled by esbuild as an ES module that can still require()', () => {
    for (const fn of lambdaFunctions(template)) {
      const bundle = readFileSync(join(assetDirOf((fn.properties.Code as { S3Key: string }).S3Key), 'index.mjs'), 'utf8');

      expect(bundle.split('\n')[0], fn.name).toMatch(/^import \{ createRequire as \w+ \} from 'node:module';const require = /);
      expect(bundle, fn.name).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(bundle, fn.name).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    }
  });

  test('every file a bundle opens beside itself at runtime is shipped with it', () => {
    for (const fn of lambdaFunctions(template)) {
      const dir = assetDirOf((fn.properties.Code as { S3Key: string }).S3Key);
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
      const besideBundle = [...bundle.matchAll(/new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1] ?? '');

      for (const relative of besideBundle) expect(existsSync(join(dir, relative)), `${fn.name}: ${relative}`).toBe(true);
      if (bundle.includes('xmllint-wasm')) {
        expect(existsSync(join(dir, 'node_modules/xmllint-wasm/xmllint.wasm')), `${fn.name}: xmllint-wasm`).toBe(true);
      }
    }
  });
});
