import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IncomingDocument } from '../../domain/documents.js';
import { StorageError } from '../../domain/errors.js';
import type { IncomingDocumentRepository, IncomingListQuery } from '../../ports/incoming-document-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { pageOfIndexPartition } from './dynamo-index-listing.js';
import { listingSortKey } from './document-list-rules.js';
import { INCOMING_INDEX_PK, incomingDocumentKey } from './table-layout.js';

const sortKeyOf = (doc: IncomingDocument) => listingSortKey(doc.fields.issueDate, doc.ksefNumber);

/** Purchase invoices as items `INCOMING#<ksefNumber>`; the first write of a KSeF number wins. */
export class DynamoIncomingDocumentRepository implements IncomingDocumentRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async add(document: IncomingDocument): Promise<{ document: IncomingDocument; added: boolean }> {
    const item = { ...document, ...incomingDocumentKey(document.ksefNumber), gsi1pk: INCOMING_INDEX_PK, gsi1sk: sortKeyOf(document) };
    if (await putIfAbsent(this.#db, this.tableName, item)) return { document: structuredClone(document), added: true };
    const stored = await this.get(document.ksefNumber);
    if (!stored) throw new StorageError(`Incoming document '${document.ksefNumber}' exists and does not: the table is changing under us.`);
    return { document: stored, added: false };
  }

  async get(ksefNumber: string): Promise<IncomingDocument | undefined> {
    const item = await getItem(this.#db, this.tableName, incomingDocumentKey(ksefNumber));
    return item ? (withoutTableAttributes(item) as unknown as IncomingDocument) : undefined;
  }

  async list(query: IncomingListQuery): Promise<Page<IncomingDocument>> {
    return pageOfIndexPartition(this.#db, this.tableName, INCOMING_INDEX_PK, 'incoming', query, sortKeyOf);
  }
}
