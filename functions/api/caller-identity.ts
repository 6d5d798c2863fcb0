import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiDeps } from './api-deps.js';
import { ApiProblem } from './problem.js';

interface IamAuthorizer {
  readonly iam?: { readonly userArn?: unknown; readonly callerId?: unknown };
}

/** The IAM principal API Gateway verified (SigV4), else the local actor; `updatedBy` of every change. */
export function callerOf(event: APIGatewayProxyEventV2, deps: Pick<ApiDeps, 'localActor'>): string {
  const authorizer = (event.requestContext as { authorizer?: IamAuthorizer }).authorizer;
  const userArn = authorizer?.iam?.userArn;
  if (typeof userArn === 'string' && userArn !== '') return userArn;
  if (deps.localActor !== undefined) return deps.localActor;
  throw new ApiProblem('unauthenticated', 'The request carries no verified identity; sign it with AWS SigV4.', {
    headers: { 'www-authenticate': 'AWS4-HMAC-SHA256' },
  });
}
