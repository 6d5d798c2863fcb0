import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOCUMENT_STATUSES, keyTakenMessage, withHistoryEvents, type DocumentBusinessKey, type DocumentStatus, type OutgoingDocument, type StoredOutgoingDocument } from '../../domain/documents.js';
import { ConflictError, StorageError } from '../../domain/errors.js';
import type { CreatedDocument, DocumentListQuery, DocumentRepository, StatusSummary } from '../../ports/document-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { putVersioned } from './dynamo-versioned-put.js';
import { countIndexPartition, queryIndexWindow } from './dynamo-index-listing.js';
import { listingSortKey, listingWindow, pageOf } from './document-list-rules.js';
import { documentClaimKey, documentIndexKey, documentKey } from './table-layout.js';

interface Claim {
  readonly documentId: string;
  readonly contentSha256: string;
}

const CREATE_ATTEMPTS = 3;
const sortKeyOf = (doc: OutgoingDocument) => listingSortKey(doc.fields.issueDate, doc.id);

/**
 * Outgoing documents as items `DOC#<id>` / `DOC`, unique by business key through a claim item
 * (table-layout.ts). Two conditional puts instead of a transaction (the embedded server has
 * none): the claim first, then the document; whoever finds a claim without its document writes
 * the document under the claimed id, so a crash between the two puts is repaired by the retry.
 */
export class DynamoDocumentRepository implements DocumentRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async create(document: OutgoingDocument): Promise<CreatedDocument> {
    const { sellerNip, invoiceType, invoiceNumber } = document.key;
    const claimKey = documentClaimKey(sellerNip, invoiceType, invoiceNumber);
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      if (await putIfAbsent(this.#db, this.tableName, { ...claimKey, documentId: document.id, contentSha256: document.contentSha256, createdAt: document.createdAt })) {
        // We own the key. Someone repairing in between may have written the document first: same content, same id.
        const written = await this.#putDocumentIfAbsent(document);
        return { document: written, created: true };
      }
      const claim = await this.#readClaim(document.key);
      if (claim === undefined) continue; // never deleted today; if it ever is, claim again
      const stored = await this.get(claim.documentId);
      if (claim.contentSha256 !== document.contentSha256) throw new ConflictError<OutgoingDocument | undefined>(keyTakenMessage(document.key), stored);
      if (stored) return { document: stored, created: false };
      // The claim's writer stopped before writing its document (or is about to): complete it.
      return { document: await this.#putDocumentIfAbsent({ ...document, id: claim.documentId }), created: false };
    }
    throw new StorageError(`Could not claim the business key of '${invoiceNumber}': it kept changing.`);
  }

  async get(id: string): Promise<OutgoingDocument | undefined> {
    const item = await getItem(this.#db, this.tableName, documentKey(id));
    return item ? toDocument(item) : undefined;
  }

  async findByKey(key: DocumentBusinessKey): Promise<OutgoingDocument | undefined> {
    const claim = await this.#readClaim(key);
    return claim === undefined ? undefined : this.get(claim.documentId);
  }

  async update(next: OutgoingDocument, expectedVersion: number): Promise<OutgoingDocument> {
    const written: OutgoingDocument = { ...next, version: expectedVersion + 1 };
    await putVersioned(this.#db, { tableName: this.tableName, item: toItem(written), expectedVersion, readVersion: async () => (await this.get(next.id))?.version });
    return structuredClone(written);
  }

  /** One GSI1 partition per status; without a status filter the partitions are merged in sort-key order. */
  async list(query: DocumentListQuery): Promise<Page<OutgoingDocument>> {
    const window = listingWindow('documents', query);
    const statuses = query.status === undefined ? DOCUMENT_STATUSES : [query.status];
    const partitions = await Promise.all(
      statuses.map((status) => queryIndexWindow(this.#db, this.tableName, documentIndexKey(status, '', '').gsi1pk, window)),
    );
    const merged = partitions
      .flat()
      .map(toDocument)
      .sort((a, b) => (sortKeyOf(a) < sortKeyOf(b) ? -1 : 1))
      .slice(0, window.limit + 1);
    return pageOf(merged, window, 'documents', sortKeyOf);
  }

  /** A COUNT query over the status's GSI1 partition (no items read back), and its first item. */
  async summarize(status: DocumentStatus): Promise<StatusSummary> {
    const partition = documentIndexKey(status, '', '').gsi1pk;
    const [count, firstPage] = await Promise.all([
      countIndexPartition(this.#db, this.tableName, partition),
      queryIndexWindow(this.#db, this.tableName, partition, { limit: 1, after: null, upTo: null }),
    ]);
    const first = firstPage[0];
    return { count, first: first === undefined ? undefined : toDocument(first) };
  }

  /** Writes the document unless its id is already stored; returns what is stored either way. */
  async #putDocumentIfAbsent(document: OutgoingDocument): Promise<OutgoingDocument> {
    if (await putIfAbsent(this.#db, this.tableName, toItem(document))) return structuredClone(document);
    const stored = await this.get(document.id);
    if (!stored) throw new StorageError(`Document '${document.id}' exists and does not: the table is changing under us.`);
    return stored;
  }

  async #readClaim(key: DocumentBusinessKey): Promise<Claim | undefined> {
    const item = await getItem(this.#db, this.tableName, documentClaimKey(key.sellerNip, key.invoiceType, key.invoiceNumber));
    if (!item) return undefined;
    return { documentId: String(item.documentId), contentSha256: String(item.contentSha256) };
  }
}

function toItem(document: OutgoingDocument): Record<string, unknown> {
  return { ...document, ...documentKey(document.id), ...documentIndexKey(document.status, document.fields.issueDate, document.id) };
}

/** History entries stored before events existed get theirs on every read (legacy-history.ts), migrated or not. */
function toDocument(item: Record<string, unknown>): OutgoingDocument {
  return withHistoryEvents(withoutTableAttributes(item) as unknown as StoredOutgoingDocument);
}
