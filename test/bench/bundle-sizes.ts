import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, RUNTIME_FILE_RULES } from '../../infra/constructs/runtime-function.js';
import type { BenchLine, BenchSection } from './report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS_DIR = join(ROOT, 'functions/handlers');
const LIMIT_BYTES = 500 * 1024;

/* RuntimeFunction's own esbuild options and runtime-file rules (infra/constructs/runtime-function.ts). */

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
    ...esbuildOptions(),
    entryPoints: [entry],
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
    title: '4. Lambda bundle sizes (esbuild, minified, with the options of infra/constructs/runtime-function.ts)',
    lines,
    notes: [
      'Each handler under functions/handlers that exports `handler` is bundled as the CDK app does (ESM, node22, minify, AWS SDK from the runtime, xmllint-wasm external, createRequire banner), with the esbuild options RuntimeFunction exports.',
      'The target applies to index.mjs. Files copied beside it (xmllint-wasm with its .wasm, the XSD worker, the schemas) are listed separately, as CDK copies them when the bundle references them; the source map (about 1.4× the bundle) is shipped too but not counted.',
      'The note names the largest contributors by npm scope or package, from the esbuild metafile, to show where the bytes go.',
    ],
  };
}
