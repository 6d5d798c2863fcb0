import { createApiHandler } from '../api/create-api-handler.js';
import { awsApiDeps } from '../wiring/aws-api.js';

export const handler = createApiHandler(awsApiDeps());
