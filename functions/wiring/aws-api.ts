import type { ApiDeps } from '../api/api-deps.js';
import { DynamoNotificationStore } from '../adapters/aws/dynamo-notification-store.js';
import { awsClients, awsEnvironment, awsLogger } from './aws-container.js';
import { awsDocumentDeps } from './aws-documents.js';
import { DocumentsConfigError } from './aws-env.js';
import { awsJobQueueDeps } from './aws.js';

let apiDeps: ApiDeps | undefined;

/**
 * The management API's dependencies: the job queues, the notification store (in the same table)
 * and, when DOCUMENTS_BUCKET and KSEF_NIP are set, the documents. A documents misconfiguration is
 * logged loudly and those routes answer 503: the queues stay manageable.
 */
export function awsApiDeps(): ApiDeps {
  if (apiDeps) return apiDeps;
  const env = awsEnvironment();
  const { documents } = env;
  if (documents instanceof DocumentsConfigError) {
    awsLogger().error('The documents routes are off: their configuration is invalid.', { error: documents.message });
  }
  apiDeps = {
    ...awsJobQueueDeps(),
    notifications: new DynamoNotificationStore(awsClients.dynamo(), env.tableName),
    ...(documents === undefined || documents instanceof DocumentsConfigError ? {} : { documents: awsDocumentDeps(documents, env.tableName) }),
  };
  return apiDeps;
}
