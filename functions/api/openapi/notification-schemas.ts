import * as z from 'zod';
import { CODE_UNIT_IDS } from '../../domain/catalogue.js';
import { LANGUAGES } from '../../domain/job-queue-entry.js';
import { NOTIFICATION_KINDS } from '../../domain/notification-policy.js';
import { EMAIL_LOG_STATUSES } from '../../ports/notification-store.js';
import { globalRecipientBodySchema } from '../../use-cases/manage-notifications.js';

/* What the notification endpoints accept and answer, for the OpenAPI document. */

const instant = z.iso.datetime({ offset: true });

const globalRecipientSchema = z.strictObject({
  email: z.string(),
  language: z.enum(LANGUAGES).meta({ description: 'The language of the e-mails this recipient gets.' }),
  updatedAt: instant,
  updatedBy: z.string(),
});

const emailLogEntrySchema = z.strictObject({
  id: z.string().meta({ description: 'Sorts by time.' }),
  codeUnit: z.enum(CODE_UNIT_IDS),
  kind: z.enum(NOTIFICATION_KINDS),
  language: z.enum(LANGUAGES),
  runId: z.string().meta({ description: 'The run the e-mail is about.' }),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  status: z.enum(EMAIL_LOG_STATUSES),
  messageId: z.string().nullable(),
  error: z.string().nullable().meta({ description: 'Why sending failed.' }),
  sentAt: instant,
});

export const NOTIFICATION_SCHEMAS = {
  GlobalRecipient: globalRecipientSchema,
  GlobalRecipientList: z.strictObject({ items: z.array(globalRecipientSchema) }),
  PutGlobalRecipientRequest: globalRecipientBodySchema,
  EmailLogEntry: emailLogEntrySchema,
  EmailLogPage: z.strictObject({
    items: z.array(emailLogEntrySchema).meta({ description: 'Newest first.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
} as const;
