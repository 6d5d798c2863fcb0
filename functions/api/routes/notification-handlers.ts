import { deleteGlobalRecipient, listEmailLog, listGlobalRecipients, putGlobalRecipient } from '../../use-cases/manage-notifications.js';
import type { ManageNotificationsDeps } from '../../use-cases/manage-notifications.js';
import { jsonResponse, noContent } from '../http-response.js';
import { readJsonObject } from '../json-body.js';
import { ApiProblem } from '../problem.js';
import { nextPageLink, parseLimit } from '../query.js';
import type { RouteHandlers, RouteRequest } from '../route.js';
import { requireNotifications } from './configured.js';
import { NOTIFICATION_ROUTES } from './notification-routes.js';

const RECIPIENTS_PATH = NOTIFICATION_ROUTES.listGlobalRecipients.path;
const EMAIL_LOG_PATH = NOTIFICATION_ROUTES.listEmailLog.path;

const recipientPath = (email: string): string => `${RECIPIENTS_PATH}/${encodeURIComponent(email)}`;

function notificationDeps(request: RouteRequest): ManageNotificationsDeps {
  return { notifications: requireNotifications(request.deps), clock: request.deps.clock };
}

export const notificationHandlers: RouteHandlers<typeof NOTIFICATION_ROUTES> = {
  async listGlobalRecipients(request) {
    request.query();
    return jsonResponse(200, { items: await listGlobalRecipients(notificationDeps(request)) });
  },
  async putGlobalRecipient(request) {
    request.query();
    const deps = notificationDeps(request);
    const email = request.param('email');
    const { recipient, created } = await putGlobalRecipient(deps, email, readJsonObject(request.event), request.caller);
    return jsonResponse(created ? 201 : 200, recipient, { location: recipientPath(recipient.email) });
  },
  async deleteGlobalRecipient(request) {
    request.query();
    const email = request.param('email');
    const { deleted } = await deleteGlobalRecipient(notificationDeps(request), email);
    if (!deleted) throw new ApiProblem('recipientNotFound', `${email.trim()} is not a global recipient.`);
    return noContent();
  },
  async listEmailLog(request) {
    const query = request.query();
    const deps = notificationDeps(request);
    const limit = parseLimit(query.limit);
    const page = await listEmailLog(deps, { limit, cursor: query.cursor });
    return jsonResponse(200, { items: page.items, nextCursor: page.nextCursor }, nextPageLink(EMAIL_LOG_PATH, limit, page.nextCursor));
  },
};
