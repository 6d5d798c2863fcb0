import type { CodeUnitId } from '../../domain/catalogue.js';
import { EntryAlreadyExistsError, VersionConflictError } from '../../domain/errors.js';
import type { QueueNotificationState } from '../../domain/notification-policy.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { EmailLogEntry, GlobalRecipient, NotificationStore } from '../../ports/notification-store.js';
import type { Page } from '../../ports/run-log-repository.js';
import {
  checkEmailPageLimit,
  checkEmailRetentionDays,
  checkMailId,
  decodeEmailCursor,
  emailExpiresAtEpoch,
  encodeEmailCursor,
  recipientId,
  type EmailLogRetentionOptions,
} from '../aws/email-log-rules.js';
import { isExpired } from '../aws/run-log-rules.js';

export interface MemoryNotificationStoreOptions extends EmailLogRetentionOptions {
  /** Decides which logged mails are expired; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * The notification store in Maps, with the same rules as DynamoNotificationStore: recipients keyed
 * case-insensitively, versioned state, append-once e-mail log listed newest first with the same
 * cursor format and retention. Values are cloned on the way in and out.
 */
export class MemoryNotificationStore implements NotificationStore {
  readonly #recipients = new Map<string, GlobalRecipient>();
  readonly #states = new Map<CodeUnitId, QueueNotificationState>();
  readonly #emails = new Map<string, { entry: EmailLogEntry; expiresAtEpoch: number }>();
  readonly #clock: Clock;
  readonly #retentionDays: number;

  constructor(options: MemoryNotificationStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#retentionDays = checkEmailRetentionDays(options.emailLogRetentionDays);
  }

  async listRecipients(): Promise<GlobalRecipient[]> {
    return [...this.#recipients.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, recipient]) => structuredClone(recipient));
  }

  async getRecipient(email: string): Promise<GlobalRecipient | undefined> {
    const found = this.#recipients.get(recipientId(email));
    return found && structuredClone(found);
  }

  async putRecipient(recipient: GlobalRecipient): Promise<{ recipient: GlobalRecipient; created: boolean }> {
    const key = recipientId(recipient.email);
    const created = !this.#recipients.has(key);
    this.#recipients.set(key, structuredClone(recipient));
    return { recipient: structuredClone(recipient), created };
  }

  async deleteRecipient(email: string): Promise<boolean> {
    return this.#recipients.delete(recipientId(email));
  }

  async getState(codeUnit: CodeUnitId): Promise<QueueNotificationState | undefined> {
    const state = this.#states.get(codeUnit);
    return state && structuredClone(state);
  }

  async putState(next: QueueNotificationState, expectedVersion: number): Promise<QueueNotificationState> {
    const stored = this.#states.get(next.codeUnit);
    const storedVersion = stored?.version ?? 0;
    if (storedVersion !== expectedVersion) throw new VersionConflictError(expectedVersion, stored ? storedVersion : null);
    const written: QueueNotificationState = { ...structuredClone(next), version: expectedVersion + 1 };
    this.#states.set(next.codeUnit, written);
    return structuredClone(written);
  }

  async appendEmail(entry: EmailLogEntry): Promise<void> {
    checkMailId(entry.id);
    const key = `${entry.id}\u0000${entry.codeUnit}`;
    const existing = this.#emails.get(key);
    if (existing) throw new EntryAlreadyExistsError<EmailLogEntry>(structuredClone(existing.entry));
    this.#emails.set(key, { entry: structuredClone(entry), expiresAtEpoch: emailExpiresAtEpoch(entry.sentAt, this.#retentionDays) });
  }

  async listEmails(options: { limit: number; cursor?: string | null }): Promise<Page<EmailLogEntry>> {
    const limit = checkEmailPageLimit(options.limit);
    const after = options.cursor == null ? null : sortKey(decodeEmailCursor(options.cursor));
    const now = this.#clock.now();
    const visible = [...this.#emails.values()]
      .filter((stored) => !isExpired(stored.expiresAtEpoch, now))
      .map((stored) => stored.entry)
      .filter((entry) => after === null || sortKey(entry) < after)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
    const items = visible.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map((entry) => structuredClone(entry)), nextCursor: visible.length > limit && last ? encodeEmailCursor(last.codeUnit, last.id) : null };
  }
}

/** The order of the Dynamo index: by id (time), then by the table key (queue) for equal ids. */
const sortKey = (entry: { id: string; codeUnit: string }) => `${entry.id}\u0000QUEUE#${entry.codeUnit}`;
