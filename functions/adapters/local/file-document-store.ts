import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, StorageError } from '../../domain/errors.js';
import { checkBlobKey, type DocumentStore } from '../../ports/document-store.js';

/**
 * Blobs as files under a directory (local mode: `<DATA_DIR>/documents`). A blob is written to a
 * temporary file, flushed, and then hard-linked to its name: the link is atomic and fails if the
 * name exists, so readers never see half a file and the first writer of a key wins.
 */
export class FileDocumentStore implements DocumentStore {
  readonly #root: string;

  constructor(rootDir: string) {
    this.#root = path.resolve(rootDir);
  }

  async put(key: string, content: Uint8Array): Promise<void> {
    const target = this.#pathOf(key);
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, target);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const existing = await readFile(target);
      if (Buffer.compare(existing, content) !== 0) throw new ConflictError(`The blob '${key}' already holds different content.`);
    } catch (error) {
      throw translate(error, `write '${key}'`);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const target = this.#pathOf(key);
    try {
      return new Uint8Array(await readFile(target));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw translate(error, `read '${key}'`);
    }
  }

  /** The key pattern already excludes `..` and absolute paths; the prefix check is a second lock on the door. */
  #pathOf(key: string): string {
    const target = path.resolve(this.#root, checkBlobKey(key));
    if (!target.startsWith(this.#root + path.sep)) throw new RangeError(`'${key}' is not a document blob key.`);
    return target;
  }
}

function translate(error: unknown, action: string): Error {
  if (error instanceof ConflictError || error instanceof RangeError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(`Could not ${action} in the local document store (${detail}).`, { cause: error });
}
