import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';

export interface ApiRoute {
  readonly method: HttpMethod;
  readonly path: string;
}

/** The management API's routes (issue 2). Admins' scripts rely on them: change with care. */
export const QUEUE_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.GET, path: '/queues' },
  { method: HttpMethod.POST, path: '/queues/{codeUnit}' },
  { method: HttpMethod.GET, path: '/queues/{codeUnit}' },
  { method: HttpMethod.PATCH, path: '/queues/{codeUnit}' },
  { method: HttpMethod.DELETE, path: '/queues/{codeUnit}' },
  { method: HttpMethod.POST, path: '/queues/{codeUnit}/status' },
  { method: HttpMethod.POST, path: '/queues/{codeUnit}/run' },
  { method: HttpMethod.GET, path: '/queues/{codeUnit}/runs' },
  { method: HttpMethod.GET, path: '/queues/{codeUnit}/runs/{runId}' },
  // Behind IAM like everything else: the document describes the API to those allowed to call it.
  { method: HttpMethod.GET, path: '/openapi.json' },
];

/*
 * Room for the routes of later issues (documents: issue 4; notification recipients and the e-mail
 * log: issue 5). They reach the same function, whose router answers 404 problem+json for anything it
 * does not know, so these routes can ship before the code behind them.
 */
export const RESERVED_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.ANY, path: '/documents' },
  { method: HttpMethod.ANY, path: '/documents/{proxy+}' },
  { method: HttpMethod.ANY, path: '/notifications/{proxy+}' },
  { method: HttpMethod.ANY, path: '/incoming-documents' },
  { method: HttpMethod.ANY, path: '/incoming-documents/{proxy+}' },
  { method: HttpMethod.ANY, path: '/ledger' },
];

export const API_ROUTES: readonly ApiRoute[] = [...QUEUE_ROUTES, ...RESERVED_ROUTES];
