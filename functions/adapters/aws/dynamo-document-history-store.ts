import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StatusChange } from '../../domain/documents.js';
import { ValidationError } from '../../domain/errors.js';
import type { DocumentHistoryStore, StoredHistory, StoredHistoryPage } from '../../ports/document-history-store.js';
import { asDocumentClient } from './dynamo-client-input.js';
import { dynamo, isConditionFailed, toStorageError } from './dynamo-errors.js';
import { decodeJsonCursor, encodeJsonCursor } from './json-cursor.js';
import { documentKey } from './table-layout.js';

const DOCUMENT_SK = documentKey('').sk;
const CURSOR_SCOPE = 'history';

/**
 * The history migration's view of the document items (`DOC#<id>` / `DOC`, table-layout.ts): a Scan
 * of the table, a page at a time, reading only each document's id, version and history, and an
 * UpdateItem of the history alone, conditional on the version it was read at. A Scan reads every
 * item once (a one-off walk, not a listing anyone waits for); its LastEvaluatedKey is the cursor,
 * so a walk stopped anywhere goes on from there.
 */
export class DynamoDocumentHistoryStore implements DocumentHistoryStore {
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
  ) {
    this.#db = asDocumentClient(client);
  }

  async listStoredHistories(page: { readonly limit: number; readonly cursor: string | null }): Promise<StoredHistoryPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1) throw new ValidationError([{ field: 'limit', reason: 'must be a positive integer' }]);
    const startKey = page.cursor === null ? undefined : decodeCursor(page.cursor);
    const result = await dynamo('Scan', () =>
      this.#db.send(
        new ScanCommand({
          TableName: this.tableName,
          Limit: page.limit,
          ExclusiveStartKey: startKey,
          FilterExpression: '#sk = :doc',
          ProjectionExpression: '#id, #version, #history',
          ExpressionAttributeNames: { '#sk': 'sk', '#id': 'id', '#version': 'version', '#history': 'history' },
          ExpressionAttributeValues: { ':doc': DOCUMENT_SK },
          ConsistentRead: true,
        }),
      ),
    );
    const items = (result.Items ?? []).map((item) => item as unknown as StoredHistory);
    const last = result.LastEvaluatedKey;
    return { items, cursor: last === undefined ? null : encodeJsonCursor({ s: CURSOR_SCOPE, pk: String(last.pk), sk: String(last.sk) }) };
  }

  async writeHistory(id: string, version: number, history: readonly StatusChange[]): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: documentKey(id),
          UpdateExpression: 'SET #history = :history',
          ConditionExpression: 'attribute_exists(pk) AND #version = :version',
          ExpressionAttributeNames: { '#history': 'history', '#version': 'version' },
          ExpressionAttributeValues: { ':history': history, ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw toStorageError(error, 'UpdateItem');
    }
  }
}

function decodeCursor(cursor: string): Record<string, string> {
  const decoded = decodeJsonCursor(cursor);
  if (decoded?.s !== CURSOR_SCOPE || typeof decoded.pk !== 'string' || typeof decoded.sk !== 'string') {
    throw new ValidationError([{ field: 'cursor', reason: 'is not a cursor of the history migration' }]);
  }
  return { pk: decoded.pk, sk: decoded.sk };
}
