import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError } from '../../domain/errors.js';
import type { QueueNotificationState } from '../../domain/notification-policy.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { EmailLogEntry, GlobalRecipient, NotificationStore } from '../../ports/notification-store.js';
import type { Page } from '../../ports/run-log-repository.js';
import { asDocumentClient, withoutTableAttributes } from './dynamo-client-input.js';
import { dynamo } from './dynamo-errors.js';
import { getItem } from './dynamo-get-item.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { queryUnexpiredPage } from './dynamo-unexpired-page.js';
import { putVersioned, queryAll } from './dynamo-versioned-put.js';
import {
  checkEmailPageLimit,
  checkEmailRetentionDays,
  checkMailId,
  decodeEmailCursor,
  emailExpiresAtEpoch,
  encodeEmailCursor,
  type EmailLogRetentionOptions,
} from './email-log-rules.js';
import { EMAIL_LOG_INDEX_PK, emailLogKey, notificationStateKey, RECIPIENTS_PK, recipientKey, TABLE_KEYS } from './table-layout.js';

export interface DynamoNotificationStoreOptions extends EmailLogRetentionOptions {
  /** Decides which logged mails are expired; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Notification data in the job-queue table (keys in table-layout.ts). Every write is a single
 * conditional PutItem/DeleteItem, like the other Dynamo adapters. The e-mail log is read newest
 * first from GSI1, whose reads are eventually consistent on AWS: a mail appears in the listing a
 * moment after it was logged, which is fine for an audit view.
 */
export class DynamoNotificationStore implements NotificationStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #clock: Clock;
  readonly #retentionDays: number;

  constructor(
    client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
    options: DynamoNotificationStoreOptions = {},
  ) {
    this.#db = asDocumentClient(client);
    this.#clock = options.clock ?? systemClock;
    this.#retentionDays = checkEmailRetentionDays(options.emailLogRetentionDays);
  }

  async listRecipients(): Promise<GlobalRecipient[]> {
    const items = await queryAll(this.#db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': RECIPIENTS_PK },
      ConsistentRead: true,
    });
    return items.map((item) => withoutTableAttributes(item) as unknown as GlobalRecipient);
  }

  async getRecipient(email: string): Promise<GlobalRecipient | undefined> {
    const item = await getItem(this.#db, this.tableName, recipientKey(email.trim()));
    return item ? (withoutTableAttributes(item) as unknown as GlobalRecipient) : undefined;
  }

  async putRecipient(recipient: GlobalRecipient): Promise<{ recipient: GlobalRecipient; created: boolean }> {
    const { Attributes } = await dynamo('PutItem', () =>
      this.#db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...recipient, ...recipientKey(recipient.email.trim()) },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return { recipient: structuredClone(recipient), created: Attributes === undefined };
  }

  async deleteRecipient(email: string): Promise<boolean> {
    const { Attributes } = await dynamo('DeleteItem', () =>
      this.#db.send(new DeleteCommand({ TableName: this.tableName, Key: recipientKey(email.trim()), ReturnValues: 'ALL_OLD' })),
    );
    return Attributes !== undefined;
  }

  async getState(codeUnit: CodeUnitId): Promise<QueueNotificationState | undefined> {
    const item = await getItem(this.#db, this.tableName, notificationStateKey(codeUnit));
    return item ? (withoutTableAttributes(item) as unknown as QueueNotificationState) : undefined;
  }

  async putState(next: QueueNotificationState, expectedVersion: number): Promise<QueueNotificationState> {
    const written: QueueNotificationState = { ...next, version: expectedVersion + 1 };
    await putVersioned(this.#db, {
      tableName: this.tableName,
      item: { ...written, ...notificationStateKey(next.codeUnit) },
      expectedVersion,
      createAtVersionZero: true,
      readVersion: async () => (await this.getState(next.codeUnit))?.version,
    });
    return structuredClone(written);
  }

  async appendEmail(entry: EmailLogEntry): Promise<void> {
    checkMailId(entry.id);
    const key = emailLogKey(entry.codeUnit, entry.id);
    const item = { ...entry, ...key, [TABLE_KEYS.ttlAttribute]: emailExpiresAtEpoch(entry.sentAt, this.#retentionDays) };
    if (await putIfAbsent(this.#db, this.tableName, item)) return;
    const stored = await getItem(this.#db, this.tableName, { pk: key.pk, sk: key.sk });
    throw new EntryAlreadyExistsError<EmailLogEntry | undefined>(stored && toEmail(stored));
  }

  async listEmails(options: { limit: number; cursor?: string | null }): Promise<Page<EmailLogEntry>> {
    const limit = checkEmailPageLimit(options.limit);
    const after = options.cursor == null ? null : decodeEmailCursor(options.cursor);
    const { rows, hasMore } = await queryUnexpiredPage(
      this.#db,
      {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi1Name,
        KeyConditionExpression: '#gpk = :mail',
        ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1PartitionKey },
        ExpressionAttributeValues: { ':mail': EMAIL_LOG_INDEX_PK },
        ScanIndexForward: false,
      },
      { limit, startKey: after === null ? undefined : { ...emailLogKey(after.codeUnit, after.id) }, now: this.#clock.now() },
    );
    const items = rows.map(toEmail);
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last ? encodeEmailCursor(last.codeUnit, last.id) : null };
  }
}

function toEmail(item: Record<string, unknown>): EmailLogEntry {
  return withoutTableAttributes(item) as unknown as EmailLogEntry;
}
