import type { CodeUnitId } from '../domain/catalogue.js';
import type { Language, NotificationRecipient } from '../domain/job-queue-entry.js';
import type { NotificationKind, QueueNotificationState } from '../domain/notification-policy.js';
import type { Page } from './run-log-repository.js';

export type { QueueNotificationState } from '../domain/notification-policy.js';

/** A recipient of every queue's e-mails (on-call admins), besides each entry's own recipients. */
export interface GlobalRecipient extends NotificationRecipient {
  /** UTC ISO-8601 of the last change. */
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export const EMAIL_LOG_STATUSES = ['sent', 'failed'] as const;
export type EmailLogStatus = (typeof EMAIL_LOG_STATUSES)[number];

/** One e-mail the system sent (or tried to send): the sent e-mail log. */
export interface EmailLogEntry {
  /** Sorts by time: `YYYYMMDDTHHmmssSSSZ-<8 hex>` of `sentAt`. */
  readonly id: string;
  readonly codeUnit: CodeUnitId;
  readonly kind: NotificationKind;
  readonly language: Language;
  /** The run the e-mail is about. */
  readonly runId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly status: EmailLogStatus;
  /** The mail service's message id when sent. */
  readonly messageId: string | null;
  /** Why sending failed. */
  readonly error: string | null;
  /** UTC ISO-8601 of the attempt. */
  readonly sentAt: string;
}

/**
 * Where notifications keep their data, in the job-queue table:
 * - global recipients, keyed by e-mail address compared case-insensitively (put = create or replace);
 * - one notification state per queue, written conditionally: `putState(next, expectedVersion)` stores
 *   `next` with version `expectedVersion + 1` when the stored version is `expectedVersion` (0 = none
 *   stored yet), else fails with VersionConflictError; two runs can therefore never both claim a mail;
 * - the sent e-mail log: append-once rows, listed newest first across all queues, paginated like the
 *   run log (`limit` 1 … 100, opaque cursor, a bad cursor is a ValidationError naming `cursor`).
 */
export interface NotificationStore {
  listRecipients(): Promise<GlobalRecipient[]>;
  getRecipient(email: string): Promise<GlobalRecipient | undefined>;
  /** Creates or replaces; `created` tells which. */
  putRecipient(recipient: GlobalRecipient): Promise<{ recipient: GlobalRecipient; created: boolean }>;
  /** Idempotent; answers whether there was one to delete. */
  deleteRecipient(email: string): Promise<boolean>;

  /** The stored state, or undefined when the queue never needed one. */
  getState(codeUnit: CodeUnitId): Promise<QueueNotificationState | undefined>;
  putState(next: QueueNotificationState, expectedVersion: number): Promise<QueueNotificationState>;

  /** Fails with EntryAlreadyExistsError when a row with the same id exists. */
  appendEmail(entry: EmailLogEntry): Promise<void>;
  listEmails(options: { limit: number; cursor?: string | null }): Promise<Page<EmailLogEntry>>;
}
