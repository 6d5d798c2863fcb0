import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerRow } from '../../domain/documents.js';
import type { LedgerListQuery, LedgerRepository } from '../../ports/ledger-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo } from './dynamo-errors.js';
import { getItem } from './dynamo-get-item.js';
import { pageOfIndexPartition } from './dynamo-index-listing.js';
import { listingSortKey } from './document-list-rules.js';
import { LEDGER_INDEX_PK, ledgerRowKey } from './table-layout.js';

const sortKeyOf = (row: LedgerRow) => listingSortKey(row.issueDate, row.ksefNumber);

/** Ledger rows as items `LEDGER#<ksefNumber>`, replaced whole on every put (they are a projection). */
export class DynamoLedgerRepository implements LedgerRepository {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async put(row: LedgerRow): Promise<void> {
    await dynamo('PutItem', () =>
      this.#db.send(new PutCommand({ TableName: this.tableName, Item: { ...row, ...ledgerRowKey(row.ksefNumber), gsi1pk: LEDGER_INDEX_PK, gsi1sk: sortKeyOf(row) } })),
    );
  }

  async get(ksefNumber: string): Promise<LedgerRow | undefined> {
    const item = await getItem(this.#db, this.tableName, ledgerRowKey(ksefNumber));
    return item ? (withoutTableAttributes(item) as unknown as LedgerRow) : undefined;
  }

  async list(query: LedgerListQuery): Promise<Page<LedgerRow>> {
    return pageOfIndexPartition(this.#db, this.tableName, LEDGER_INDEX_PK, 'ledger', query, sortKeyOf);
  }
}
