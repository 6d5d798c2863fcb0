import type { NotificationStore } from '../../ports/notification-store.js';
import type { ApiDeps, ApiDocumentDeps } from '../api-deps.js';
import { ApiProblem } from '../problem.js';

/*
 * Notifications and documents are optional parts of the API's dependencies (a deployment may not
 * have them yet): their routes exist, are documented, and answer 503 until they are configured.
 */

export function requireNotifications(deps: ApiDeps): NotificationStore {
  if (deps.notifications === undefined) throw new ApiProblem('notConfigured', 'Notifications are not configured on this deployment.');
  return deps.notifications;
}

export function requireDocuments(deps: ApiDeps): ApiDocumentDeps {
  if (deps.documents === undefined) {
    throw new ApiProblem('notConfigured', 'Documents are not configured on this deployment (the document store and KSEF_NIP are required).');
  }
  return deps.documents;
}
