import { createHash } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { ConflictError, StorageError } from '../../domain/errors.js';
import { checkBlobKey, type DocumentStore } from '../../ports/document-store.js';

/**
 * Blobs as S3 objects `<prefix><key>` in a versioned, encrypted bucket (infra/). Puts are
 * conditional (`If-None-Match: *`), so the first writer of a key wins and a retry of the same bytes
 * is recognised by comparing SHA-256; S3 checks the sent bytes against `ChecksumSHA256`.
 */
export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly prefix = '',
  ) {}

  async put(key: string, content: Uint8Array): Promise<void> {
    const objectKey = this.#objectKey(key);
    const sha256 = createHash('sha256').update(content).digest('base64');
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: content,
          ContentType: 'application/xml',
          ChecksumSHA256: sha256,
          IfNoneMatch: '*',
        }),
      );
      return;
    } catch (error) {
      if (!isPreconditionFailed(error)) throw translate(error, 'PutObject', key);
    }
    const existing = await this.get(key);
    if (existing === undefined) throw new StorageError(`S3 refused to overwrite '${key}' but does not return it.`);
    if (createHash('sha256').update(existing).digest('base64') !== sha256) {
      throw new ConflictError(`The blob '${key}' already holds different content.`);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw translate(error, 'GetObject', key);
    }
  }

  #objectKey(key: string): string {
    return `${this.prefix}${checkBlobKey(key)}`;
  }
}

/** 412 when the key exists; 409 when another conditional put of the key is in flight (retry reads it). */
function isPreconditionFailed(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 412 || (error as { name?: string }).name === 'PreconditionFailed' || status === 409;
}

function translate(error: unknown, action: string, key: string): Error {
  if (error instanceof RangeError) return error;
  const detail = error instanceof S3ServiceException || error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StorageError(`S3 ${action} of '${key}' failed (${detail}).`, { cause: error });
}
