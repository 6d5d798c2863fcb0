import { body, json, operation, param, type Json } from './operations.js';

const tagged = { tags: ['notifications'] };
const emailParams = { parameters: [param('Email')] };

/** The operations of issue 5: global recipients and the sent e-mail log. */
export function notificationPaths(): Json {
  return {
    '/notifications/recipients': {
      get: operation('listGlobalRecipients', 'The global recipients: they get the e-mails of every queue, besides each entry\'s own recipients.', tagged, {
        200: json('GlobalRecipientList', 'The recipients, by address.'),
      }),
    },
    '/notifications/recipients/{email}': {
      ...emailParams,
      put: operation(
        'putGlobalRecipient',
        'Add the address as a global recipient, or change its language.',
        { ...tagged, requestBody: body('PutGlobalRecipientRequest', ['application/json']) },
        { 201: json('GlobalRecipient', 'Added.', ['Location']), 200: json('GlobalRecipient', 'It was a recipient already; its language is replaced.', ['Location']) },
        // A path that is not valid percent-encoding names no resource.
        [404],
      ),
      delete: operation('deleteGlobalRecipient', 'Remove the address from the global recipients.', tagged, { 204: { description: 'Removed.' } }, [404]),
    },
    '/notifications/log': {
      get: operation(
        'listEmailLog',
        'Every e-mail sent (or tried), newest first, one page at a time.',
        { ...tagged, parameters: [param('Limit'), param('Cursor')] },
        { 200: json('EmailLogPage', 'A page of the e-mail log.', ['Link']) },
      ),
    },
  };
}
