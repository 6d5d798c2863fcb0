import { ConflictError } from '../../domain/errors.js';
import { checkBlobKey, type DocumentStore } from '../../ports/document-store.js';

/** Blobs in a Map, write-once like the S3 and file stores. */
export class MemoryDocumentStore implements DocumentStore {
  readonly #blobs = new Map<string, Uint8Array>();

  async put(key: string, content: Uint8Array): Promise<void> {
    checkBlobKey(key);
    const existing = this.#blobs.get(key);
    if (existing) {
      if (Buffer.compare(existing, content) !== 0) throw new ConflictError(`The blob '${key}' already holds different content.`);
      return;
    }
    this.#blobs.set(key, Uint8Array.from(content));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    checkBlobKey(key);
    const stored = this.#blobs.get(key);
    return stored && Uint8Array.from(stored);
  }

  /** For tests: how many blobs are stored. */
  get size(): number {
    return this.#blobs.size;
  }
}
