import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, PROJECT_ROOT, RUNTIME_FILE_RULES } from '../../../infra/constructs/runtime-function.js';

/*
 * The Lambda bundles, built exactly as the CDK app builds them (RuntimeFunction's esbuild options
 * and runtime-file rules), into .local/lambda-bundles/<name>/ inside the project: the AWS SDK is
 * external (Lambda's runtime provides it), and from there ESM resolution finds it in node_modules.
 */

export const BUNDLES_DIR = join(PROJECT_ROOT, '.local', 'lambda-bundles');
const RESULT_MARKER = '@@lambda-result@@';

/** Builds each handler (a path under functions/) into BUNDLES_DIR/<name>/index.mjs in one esbuild run. */
export async function buildBundles(entries: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  rmSync(BUNDLES_DIR, { recursive: true, force: true });
  await build({
    ...esbuildOptions(),
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, entry]) => [`${name}/index`, join(PROJECT_ROOT, 'functions', entry)])),
    outdir: BUNDLES_DIR,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  const bundles: Record<string, string> = {};
  for (const name of Object.keys(entries)) {
    const bundle = join(BUNDLES_DIR, name, 'index.mjs');
    const code = readFileSync(bundle, 'utf8');
    // CDK's afterBundling step, with the same rules.
    for (const rule of RUNTIME_FILE_RULES) {
      if (!rule.markers.some((marker) => code.includes(marker))) continue;
      const target = join(dirname(bundle), rule.to);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(PROJECT_ROOT, rule.from), target, { recursive: true });
    }
    bundles[name] = bundle;
  }
  writeFileSync(join(BUNDLES_DIR, 'invoke.mjs'), INVOKER);
  return bundles;
}

/** What Lambda's Node.js runtime does for one container: import the bundle, call `handler` once per event with a Context. */
const INVOKER = `
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
const [bundle, functionName] = process.argv.slice(2);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { handler } = await import(pathToFileURL(bundle).href);
const results = [];
for (const event of JSON.parse(input)) {
  const deadline = Date.now() + 60_000;
  const context = {
    callbackWaitsForEmptyEventLoop: false, functionName, functionVersion: '$LATEST', memoryLimitInMB: '512',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:' + functionName,
    awsRequestId: randomUUID(), logGroupName: '/aws/lambda/' + functionName, logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done() {}, fail() {}, succeed() {},
  };
  results.push(await handler(event, context));
}
process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify({ node: process.version, results }) + '\\n');
// Lambda freezes the container here; keep-alive sockets and workers must not keep this process.
process.exit(0);
`;

export interface Invocation<R> {
  /** `process.version` of the child. */
  readonly node: string;
  readonly results: R[];
  /** Everything else the function wrote: its log lines and metrics (EMF). */
  readonly output: string;
}

/** Runs `bundle` in a fresh `node` process with exactly `env`, invoking its handler with each event in turn. */
export function invokeBundle<R>(node: string, bundle: string, functionName: string, env: Readonly<Record<string, string>>, events: readonly unknown[]): Promise<Invocation<R>> {
  if (!existsSync(bundle)) throw new Error(`No bundle at ${bundle}.`);
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(BUNDLES_DIR, 'invoke.mjs'), bundle, functionName], { env: { ...env }, cwd: dirname(bundle), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const at = stdout.lastIndexOf(RESULT_MARKER);
      if (code !== 0 || at < 0) return reject(new Error(`${functionName} exited with ${code}:\n${stdout}\n${stderr}`));
      const { node: version, results } = JSON.parse(stdout.slice(at + RESULT_MARKER.length)) as { node: string; results: R[] };
      resolve({ node: version, results, output: stdout.slice(0, at) + stderr });
    });
    child.stdin.end(JSON.stringify(events));
  });
}
