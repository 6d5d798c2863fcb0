import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDocumentStore } from '../../functions/adapters/local/file-document-store.js';
import { documentStoreContract } from './document-store.contract.js';

const dirs: string[] = [];

async function newDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksef-docs-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

documentStoreContract('FileDocumentStore in a temporary directory', async () => new FileDocumentStore(await newDir()));

describe('FileDocumentStore on disk', () => {
  it('keeps blobs as files under their key and leaves no temporary files behind', async () => {
    // Prepare
    const dir = await newDir();
    const store = new FileDocumentStore(dir);
    // Act
    await Promise.all([store.put('outgoing/abc.xml', new TextEncoder().encode('<a/>')), store.put('outgoing/abc.xml', new TextEncoder().encode('<a/>'))]);
    // Assess
    expect(await readdir(path.join(dir, 'outgoing'))).toEqual(['abc.xml']);
    expect(new TextDecoder().decode(await new FileDocumentStore(dir).get('outgoing/abc.xml'))).toBe('<a/>');
  });
});
