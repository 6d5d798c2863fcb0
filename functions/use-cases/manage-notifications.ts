import * as z from 'zod';
import { ValidationError, type FieldIssue } from '../domain/errors.js';
import { LANGUAGES } from '../domain/job-queue-entry.js';
import type { Clock } from '../ports/clock.js';
import type { EmailLogEntry, GlobalRecipient, NotificationStore } from '../ports/notification-store.js';
import type { Page } from '../ports/run-log-repository.js';

/*
 * What admins do with notifications through the API: manage the global recipients (who get every
 * queue's e-mails besides each entry's own recipients) and read the sent e-mail log. Every input is
 * validated; a bad one is a ValidationError naming each field (the API's 400 problem+json).
 *
 * Routes (for the API): GET /notifications/recipients → listGlobalRecipients;
 * PUT /notifications/recipients/{email} with {"language":"pl"|"en"} → putGlobalRecipient (201 when
 * created, 200 when replaced); DELETE /notifications/recipients/{email} → deleteGlobalRecipient
 * (204; 404 when `deleted` is false, if the API prefers); GET /notifications/log?limit&cursor → listEmailLog.
 */

export interface ManageNotificationsDeps {
  readonly notifications: NotificationStore;
  readonly clock: Clock;
}

/** More would be a mailing list, not on-call admins; SES also caps recipients per message at 50. */
export const MAX_GLOBAL_RECIPIENTS = 50;
export const DEFAULT_EMAIL_LOG_PAGE = 20;

const emailSchema = z.email({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a valid e-mail address') }).max(254);

export const globalRecipientBodySchema = z.strictObject({
  language: z.enum(LANGUAGES, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}`) }),
});

const emailLogQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int({ error: 'must be a whole number from 1 to 100' })
    .min(1, { error: 'must be a whole number from 1 to 100' })
    .max(100, { error: 'must be a whole number from 1 to 100' })
    .default(DEFAULT_EMAIL_LOG_PAGE),
  cursor: z.string({ error: 'must be a cursor returned by this API' }).min(1, { error: 'must be a cursor returned by this API' }).nullish(),
});

export async function listGlobalRecipients(deps: ManageNotificationsDeps): Promise<GlobalRecipient[]> {
  return deps.notifications.listRecipients();
}

/** Creates or replaces the global recipient `email` (from the path) with the body's language. */
export async function putGlobalRecipient(
  deps: ManageNotificationsDeps,
  email: unknown,
  body: unknown,
  actor: string,
): Promise<{ recipient: GlobalRecipient; created: boolean }> {
  const issues: FieldIssue[] = [];
  const address = emailSchema.safeParse(typeof email === 'string' ? email.trim() : email);
  if (!address.success) issues.push(...address.error.issues.map((issue) => ({ field: 'email', reason: issue.message })));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.push({ field: '(root)', reason: 'must be a JSON object' });
  } else {
    const parsed = globalRecipientBodySchema.safeParse(body);
    if (!parsed.success) issues.push(...parsed.error.issues.flatMap(toFieldIssues));
  }
  if (issues.length > 0 || !address.success) throw new ValidationError(issues);
  const language = globalRecipientBodySchema.parse(body).language;

  const existing = await deps.notifications.getRecipient(address.data);
  if (!existing && (await deps.notifications.listRecipients()).length >= MAX_GLOBAL_RECIPIENTS) {
    throw new ValidationError([{ field: 'email', reason: `at most ${MAX_GLOBAL_RECIPIENTS} global recipients can be configured` }]);
  }
  return deps.notifications.putRecipient({ email: address.data, language, updatedAt: deps.clock.now().toISOString(), updatedBy: actor });
}

/** Idempotent: `deleted` tells whether the address was a global recipient. */
export async function deleteGlobalRecipient(deps: ManageNotificationsDeps, email: unknown): Promise<{ deleted: boolean }> {
  const address = emailSchema.safeParse(typeof email === 'string' ? email.trim() : email);
  if (!address.success) throw new ValidationError(address.error.issues.map((issue) => ({ field: 'email', reason: issue.message })));
  return { deleted: await deps.notifications.deleteRecipient(address.data) };
}

/** The sent e-mail log, newest first; `limit` and `cursor` as the query string gives them. */
export async function listEmailLog(deps: ManageNotificationsDeps, query: { limit?: unknown; cursor?: unknown }): Promise<Page<EmailLogEntry>> {
  const parsed = emailLogQuerySchema.safeParse({ limit: query.limit ?? undefined, cursor: query.cursor ?? undefined });
  if (!parsed.success) throw new ValidationError(parsed.error.issues.flatMap(toFieldIssues));
  return deps.notifications.listEmails({ limit: parsed.data.limit, cursor: parsed.data.cursor ?? null });
}

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, reason: 'is not a known field' }));
  return [{ field: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'), reason: issue.message }];
}
