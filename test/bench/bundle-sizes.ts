import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import type { BenchLine, BenchSection } from './report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS_DIR = join(ROOT, 'functions/handlers');
const LIMIT_BYTES = 500 * 1024;

/*
 * A mirror of RuntimeFunction's bundling (infra/constructs/runtime-function.ts), which keeps its
 * options inside the constructor and does not export them: ESM for node22, main fields
 * module,main, minified, AWS SDK from the runtime, xmllint-wasm external, the createRequire banner, and the
 * runtime files copied beside index.mjs when the bundle mentions them. Keep the two in step.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __ksefCreateRequire } from 'node:module';const require = __ksefCreateRequire(import.meta.url);";
/** As infra/constructs/runtime-function.ts: xmllint-wasm beside the bundle, the AWS SDK from the runtime. */
const EXTERNAL_MODULES = ['xmllint-wasm', '@aws-sdk/*'];
const RUNTIME_FILE_RULES = [
  { markers: ['xmllint-wasm', 'xmllint-warm-worker.mjs'], from: 'node_modules/xmllint-wasm', to: 'node_modules/xmllint-wasm' },
  { markers: ['xmllint-warm-worker.mjs'], from: 'functions/adapters/xml/xmllint-warm-worker.mjs', to: 'xmllint-warm-worker.mjs' },
  { markers: ['./schemas/'], from: 'functions/adapters/xml/schemas', to: 'schemas' },
] as const;

/** Every file under functions/handlers that exports a Lambda `handler`. */
function handlerEntries(): string[] {
  const files = readdirSync(HANDLERS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(HANDLERS_DIR, f))
    .sort();
  return files.filter((file) => /export\s+(const|async\s+function|function)\s+handler\b/.test(readFileSync(file, 'utf8')));
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

interface BundleSize {
  readonly entry: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly beside: readonly { readonly path: string; readonly bytes: number }[];
  /** The largest contributors to the bundle, by package (or `functions` for our own code). */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
}

/** Bytes in the output per npm package (scoped packages grouped by scope), largest first. */
function largestContributors(metafile: Metafile): { name: string; bytes: number }[] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/(@[^/]+|[^/@]+)/.exec(input);
      const name = match ? (match[1] as string) : 'project code';
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 4);
}

async function bundle(entry: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    external: EXTERNAL_MODULES,
    outfile: join(ROOT, '.bench-out/index.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const text = code?.text ?? '';
  const beside = RUNTIME_FILE_RULES.filter((rule) => rule.markers.some((m) => text.includes(m))).map((rule) => ({ path: rule.to, bytes: sizeOf(join(ROOT, rule.from)) }));
  return {
    entry: relative(join(ROOT, 'functions'), entry),
    bundleBytes: code?.contents.byteLength ?? 0,
    sourceMapBytes: map?.contents.byteLength ?? 0,
    beside,
    largest: largestContributors(result.metafile),
  };
}

export async function measureBundleSizes(): Promise<BenchSection> {
  const sizes = await Promise.all(handlerEntries().map(bundle));
  const lines: BenchLine[] = [];
  for (const s of sizes) {
    lines.push({ section: 'bundles', name: s.entry, value: s.bundleBytes / 1024, unit: 'KB', target: { op: '<=', value: LIMIT_BYTES / 1024 }, note: `largest: ${s.largest.map((l) => `${l.name} ${(l.bytes / 1024).toFixed(0)} KB`).join(', ')}` });
    for (const f of s.beside) lines.push({ section: 'bundles', name: `  beside it: ${f.path}`, value: f.bytes / 1024, unit: 'KB', note: 'runtime file copied next to the bundle' });
  }
  return {
    title: '4. Lambda bundle sizes (esbuild, minified, options mirrored from infra/constructs/runtime-function.ts)',
    lines,
    notes: [
      'Each handler under functions/handlers that exports `handler` is bundled as the CDK app does (ESM, node22, minify, AWS SDK from the runtime, xmllint-wasm external, createRequire banner); the options are mirrored, not imported, because RuntimeFunction does not export them.',
      'The target applies to index.mjs. Files copied beside it (xmllint-wasm with its .wasm, the XSD worker, the schemas) are listed separately, as CDK copies them when the bundle references them; the source map (about 1.4× the bundle) is shipped too but not counted.',
      'The note names the largest contributors by npm scope or package, from the esbuild metafile, to show where the bytes go.',
    ],
  };
}
