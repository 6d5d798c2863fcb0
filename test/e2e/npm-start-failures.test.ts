import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `npm start` (functions/local/main.ts, as its own process, as npm-start.test.ts starts it) with a
 * bad environment: it prints one line an admin can act on, no stack, and exits non-zero.
 */

let dataDir: string;
let busy: Server;
let busyPort: number;

/** What main.ts itself wrote to stderr: Node's and the AWS SDK's own warnings are left out. */
function ownLines(stderr: string): string[] {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const warning = lines.findIndex((line) => /Warning:/.test(line));
  if (warning === -1) return lines;
  const end = lines.findIndex((line, index) => index > warning && line.startsWith('(Use `node --trace-warnings'));
  return [...lines.slice(0, warning), ...lines.slice(end + 1)];
}

function runNpmStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
    env: { ...process.env, API_TOKEN: 'npm-start-token-0123456789', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, stderr, stdout }));
    // A start that unexpectedly succeeds is stopped, so that the test fails instead of hanging.
    child.stdout.on('data', () => {
      if (stdout.includes('Press Ctrl+C to stop.')) child.kill('SIGTERM');
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-start-fail-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with a bad environment', () => {
  it('PORT=abc prints one line naming PORT and what it must be, and exits 1', async () => {
    // Act
    const { code, stderr } = await runNpmStart({ PORT: 'abc' });

    // Assess
    expect(code).toBe(1);
    expect(ownLines(stderr)).toEqual(["Invalid configuration: PORT must be a whole number from 0 to 65535 (0 picks a free port), got 'abc'."]);
  });

  it('a PORT another program listens on prints one line naming PORT, no stack, and exits 1', async () => {
    // Act
    const { code, stderr, stdout } = await runNpmStart({ PORT: String(busyPort) });

    // Assess
    expect(code).toBe(1);
    expect(ownLines(stderr)).toEqual([
      `PORT ${busyPort} is already in use on 127.0.0.1 (another npm start, or another program); set PORT to a free port, or PORT=0 to pick one.`,
    ]);
    expect(stderr).not.toContain('EADDRINUSE');
    expect(stdout).not.toContain('Management API');
  });
});
