import { defineRoute, json, jsonBody, noBody } from '../route.js';

/* The global e-mail recipients and the sent e-mail log (issue 5). Handlers: notification-handlers.ts. */

const tags = ['notifications'] as const;

export const NOTIFICATION_ROUTES = {
  listGlobalRecipients: defineRoute({
    method: 'GET',
    path: '/notifications/recipients',
    tags,
    summary: "The global recipients: they get the e-mails of every queue, besides each entry's own recipients.",
    responses: { 200: json('GlobalRecipientList', 'The recipients, by address.') },
  }),
  putGlobalRecipient: defineRoute({
    method: 'PUT',
    path: '/notifications/recipients/{email}',
    tags,
    summary: 'Add the address as a global recipient, or change its language.',
    request: { body: jsonBody('PutGlobalRecipientRequest') },
    responses: {
      201: json('GlobalRecipient', 'Added.', ['Location']),
      200: json('GlobalRecipient', 'It was a recipient already; its language is replaced.', ['Location']),
    },
  }),
  deleteGlobalRecipient: defineRoute({
    method: 'DELETE',
    path: '/notifications/recipients/{email}',
    tags,
    summary: 'Remove the address from the global recipients.',
    responses: { 204: noBody('Removed.') },
  }),
  listEmailLog: defineRoute({
    method: 'GET',
    path: '/notifications/log',
    tags,
    summary: 'Every e-mail sent (or tried), newest first, one page at a time.',
    request: { query: ['Limit', 'Cursor'] },
    responses: { 200: json('EmailLogPage', 'A page of the e-mail log.', ['Link']) },
  }),
};
