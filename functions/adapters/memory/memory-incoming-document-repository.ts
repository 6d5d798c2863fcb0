import type { IncomingDocument } from '../../domain/documents.js';
import type { IncomingDocumentRepository, IncomingListQuery } from '../../ports/incoming-document-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { listingSortKey } from '../aws/document-list-rules.js';
import { pageInMemory } from './memory-listing.js';

const sortKeyOf = (doc: IncomingDocument) => listingSortKey(doc.fields.issueDate, doc.ksefNumber);

/** Purchase invoices in a Map, with the rules of DynamoIncomingDocumentRepository. */
export class MemoryIncomingDocumentRepository implements IncomingDocumentRepository {
  readonly #documents = new Map<string, IncomingDocument>();

  async add(document: IncomingDocument): Promise<{ document: IncomingDocument; added: boolean }> {
    const existing = this.#documents.get(document.ksefNumber);
    if (existing) return { document: structuredClone(existing), added: false };
    this.#documents.set(document.ksefNumber, structuredClone(document));
    return { document: structuredClone(document), added: true };
  }

  async get(ksefNumber: string): Promise<IncomingDocument | undefined> {
    const stored = this.#documents.get(ksefNumber);
    return stored && structuredClone(stored);
  }

  async list(query: IncomingListQuery): Promise<Page<IncomingDocument>> {
    return pageInMemory([...this.#documents.values()], 'incoming', query, sortKeyOf);
  }
}
