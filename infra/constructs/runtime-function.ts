import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeRule } from './acknowledge.js';

/** The repository root: the esbuild project root and the home of the lock file. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a handler entry file, e.g. `handlerEntry('handlers/api.ts')`. */
export const handlerEntry = (pathInFunctions: string): string =>
  fileURLToPath(new URL(`../../functions/${pathInFunctions}`, import.meta.url));

/*
 * Files a bundle opens at runtime, which esbuild cannot inline:
 * - xmllint-wasm loads a worker file and a .wasm from its own directory: it stays external and its
 *   package directory is copied beside the bundle (it has no dependencies of its own).
 *   `bundling.nodeModules` would do the same through `npm install`, which needs the registry; a
 *   copy keeps synth offline.
 * - the XSD validator (functions/adapters/xml) starts its worker from `new URL('./xmllint-warm-worker.mjs',
 *   import.meta.url)` and reads `new URL('./schemas/', import.meta.url)`: after bundling both
 *   resolve next to index.mjs, so they are copied there.
 * A rule applies only to bundles that contain one of its markers, so a function ships these files
 * exactly when its code uses them. The CLI synth test checks that every such reference resolves.
 */
interface RuntimeFileRule {
  /** Any of these strings in index.mjs means the bundle needs the file. */
  readonly markers: readonly string[];
  /** Relative to the project root. */
  readonly from: string;
  /** Relative to the bundle directory. */
  readonly to: string;
}

/**
 * Left out of every bundle: xmllint-wasm (loads a worker and a .wasm from disk; copied beside the
 * bundle below) and the AWS SDK v3, which the nodejs22.x runtime provides. Using the runtime's SDK
 * keeps each bundle small (the SDK and smithy alone are over 600 KB minified); AWS keeps that SDK
 * current, and nothing here needs an API newer than it.
 */
export const EXTERNAL_MODULES = ['xmllint-wasm', '@aws-sdk/*'];

const RUNTIME_FILE_RULES: readonly RuntimeFileRule[] = [
  { markers: ['xmllint-wasm', 'xmllint-warm-worker.mjs'], from: 'node_modules/xmllint-wasm', to: 'node_modules/xmllint-wasm' },
  { markers: ['xmllint-warm-worker.mjs'], from: 'functions/adapters/xml/xmllint-warm-worker.mjs', to: 'xmllint-warm-worker.mjs' },
  { markers: ['./schemas/'], from: 'functions/adapters/xml/schemas', to: 'schemas' },
];

const copyRuntimeFiles = (inputDir: string, outputDir: string): string[] =>
  RUNTIME_FILE_RULES.map((rule) => {
    const patterns = rule.markers.map((marker) => `-e '${marker}'`).join(' ');
    const target = `${outputDir}/${rule.to}`;
    return `if grep -qF ${patterns} "${outputDir}/index.mjs"; then mkdir -p "$(dirname "${target}")" && cp -R "${inputDir}/${rule.from}" "${target}"; fi`;
  });

/*
 * ESM output: some CommonJS dependencies still call require() for Node built-ins, which ESM lacks.
 * The banner gives the bundle a real require() bound to its own location.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __ksefCreateRequire } from 'node:module';const require = __ksefCreateRequire(import.meta.url);";

export interface RuntimeFunctionProps {
  /** Physical name; deterministic so that ARNs can be computed without references (no cycles). */
  readonly functionName: string;
  /** Absolute path of the handler file exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
}

/**
 * A Lambda function as this project runs them: Node.js 22 on arm64, an ESM bundle built by the
 * local esbuild (never Docker), minified with source maps, the AWS SDK v3 left out of the bundle
 * and taken from the runtime (EXTERNAL_MODULES), and its own log group with a retention period.
 *
 * The role starts empty: instead of the managed AWSLambdaBasicExecutionRole (logs on every log
 * group in the account) it may write only to the function's own log group; everything else is granted.
 */
export class RuntimeFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RuntimeFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      // Run logs are evidence of what was sent to KSeF: keep them until their retention ends.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      description: `Runs the ${props.functionName} function`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      logGroup,
      role,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        // The externals are exactly EXTERNAL_MODULES (the runtime's SDK among them); CDK ignores
        // bundleAwsSDK once externalModules is given, so it is not set.
        externalModules: EXTERNAL_MODULES,
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: copyRuntimeFiles,
        },
      },
    });
    acknowledgeRule(
      this,
      'L1',
      'Node.js 22 is the runtime this project targets and tests (bundle target node22); moving to a newer one is a deliberate upgrade.',
    );
  }
}
