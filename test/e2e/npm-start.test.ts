import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * What a newcomer does: start local mode as its own process (what `npm start` runs), use the API
 * with curl-like calls, stop it with a signal, start it again on the same data.
 */

const TOKEN = 'npm-start-token-0123456789';
let dataDir: string;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

function startLocalMode(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
    env: { ...process.env, PORT: '0', API_TOKEN: TOKEN, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Management API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`local mode exited with ${code}:\n${output}`)));
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

async function api(url: string, method: string, path: string) {
  const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-start-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the API with the token, runs a queue on request, stops on SIGTERM and keeps its data across a restart', async () => {
    const first = await startLocalMode();
    expect(first.output()).toContain('API token');

    const unauthenticated = await fetch(`${first.url}/queues`);
    const created = await api(first.url, 'POST', '/queues/incoming-documents');
    const run = await api(first.url, 'POST', '/queues/incoming-documents/run');
    let status: string | undefined;
    for (let poll = 0; poll < 50 && status !== 'Success'; poll += 1) {
      status = (await api(first.url, 'GET', `/queues/incoming-documents/runs/${run.body.runId}`)).body.status;
      if (status !== 'Success') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exitCode = await stop(first);

    expect(unauthenticated.status).toBe(401);
    expect(created.status).toBe(201);
    expect(status).toBe('Success');
    expect(exitCode).toBe(0);

    const second = await startLocalMode();
    const again = await api(second.url, 'POST', '/queues/incoming-documents');
    const runs = await api(second.url, 'GET', '/queues/incoming-documents/runs');
    await stop(second);

    expect(again.status).toBe(200);
    expect(again.body.entry.id).toBe(created.body.entry.id);
    expect(runs.body.items.map((row: any) => row.runId)).toContain(run.body.runId);
  });
});
