import { keyTakenMessage, type DocumentBusinessKey, type DocumentStatus, type OutgoingDocument } from '../../domain/documents.js';
import { ConflictError, VersionConflictError } from '../../domain/errors.js';
import type { CreatedDocument, DocumentListQuery, DocumentRepository, StatusSummary } from '../../ports/document-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { listingSortKey } from '../aws/document-list-rules.js';
import { pageInMemory } from './memory-listing.js';

const sortKeyOf = (doc: OutgoingDocument) => listingSortKey(doc.fields.issueDate, doc.id);

/**
 * Outgoing documents in Maps, with the rules of DynamoDocumentRepository. Each method reads and
 * writes within one synchronous step, so concurrent creates of one key race like conditional writes.
 */
export class MemoryDocumentRepository implements DocumentRepository {
  readonly #documents = new Map<string, OutgoingDocument>();
  readonly #keys = new Map<string, string>();

  async create(document: OutgoingDocument): Promise<CreatedDocument> {
    const keyId = this.#keys.get(keyString(document.key));
    const existing = keyId === undefined ? undefined : this.#documents.get(keyId);
    if (existing) {
      if (existing.contentSha256 !== document.contentSha256) {
        throw new ConflictError<OutgoingDocument>(keyTakenMessage(document.key), structuredClone(existing));
      }
      return { document: structuredClone(existing), created: false };
    }
    if (this.#documents.has(document.id)) throw new ConflictError(`A document with id '${document.id}' already exists.`);
    this.#keys.set(keyString(document.key), document.id);
    this.#documents.set(document.id, structuredClone(document));
    return { document: structuredClone(document), created: true };
  }

  async get(id: string): Promise<OutgoingDocument | undefined> {
    const stored = this.#documents.get(id);
    return stored && structuredClone(stored);
  }

  async findByKey(key: DocumentBusinessKey): Promise<OutgoingDocument | undefined> {
    const id = this.#keys.get(keyString(key));
    return id === undefined ? undefined : this.get(id);
  }

  async update(next: OutgoingDocument, expectedVersion: number): Promise<OutgoingDocument> {
    const stored = this.#documents.get(next.id);
    if (!stored || stored.version !== expectedVersion) throw new VersionConflictError(expectedVersion, stored?.version ?? null);
    const written: OutgoingDocument = { ...structuredClone(next), key: stored.key, version: expectedVersion + 1 };
    this.#documents.set(next.id, written);
    return structuredClone(written);
  }

  async list(query: DocumentListQuery): Promise<Page<OutgoingDocument>> {
    const withStatus = [...this.#documents.values()].filter((doc) => query.status === undefined || doc.status === query.status);
    return pageInMemory(withStatus, 'documents', query, sortKeyOf);
  }

  async summarize(status: DocumentStatus): Promise<StatusSummary> {
    const inStatus = [...this.#documents.values()].filter((doc) => doc.status === status).sort((a, b) => (sortKeyOf(a) < sortKeyOf(b) ? -1 : 1));
    const first = inStatus[0];
    return { count: inStatus.length, first: first && structuredClone(first) };
  }
}

function keyString(key: DocumentBusinessKey): string {
  return JSON.stringify([key.sellerNip, key.invoiceType, key.invoiceNumber]);
}
