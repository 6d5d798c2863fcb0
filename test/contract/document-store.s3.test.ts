import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../functions/adapters/aws/s3-document-store.js';
import { StorageError } from '../../functions/domain/errors.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3-server.js';
import { documentStoreContract } from './document-store.contract.js';

let s3: FakeS3;
let stores = 0;

beforeAll(async () => {
  s3 = await startFakeS3();
});

afterAll(async () => {
  await s3?.close();
});

documentStoreContract('S3DocumentStore against an in-process S3-compatible server', async () => new S3DocumentStore(s3.createClient(), 'documents', `run-${++stores}/`));

describe('S3DocumentStore requests', () => {
  it('puts are conditional on the key being free and carry the SHA-256 of the body', async () => {
    // Prepare
    const store = new S3DocumentStore(s3.createClient(), 'documents', 'headers/');
    // Act
    await store.put('outgoing/abc.xml', new TextEncoder().encode('<a/>'));
    // Assess
    const put = s3.puts.find((p) => p.key === 'documents/headers/outgoing/abc.xml');
    expect(put?.headers['if-none-match']).toBe('*');
    expect(put?.headers['x-amz-checksum-sha256']).toBe('KRFDY/dJoCJraYjdo8okkqlUEXq2tfOCcGwgMA2rwHk=');
    expect(put?.headers['content-type']).toBe('application/xml');
  });

  it('an unreachable S3 is a StorageError, which the caller may retry', async () => {
    // Prepare
    const down = await startFakeS3();
    const client = down.createClient();
    await down.close();
    const store = new S3DocumentStore(client, 'documents');
    // Act
    const error = await store.get('outgoing/abc.xml').catch((e: unknown) => e);
    client.destroy();
    // Assess
    expect(error).toBeInstanceOf(StorageError);
  });
});
