import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ApiLogger } from '../api-deps.js';
import { errorToProblem } from '../error-to-problem.js';
import { problemResponse } from '../http-response.js';

/** Every error becomes application/problem+json; an unexpected one is logged with its stack, never sent. */
export function problemResponses(logger: ApiLogger): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    name: 'problemResponses',
    onError: async (request) => {
      const instance = request.event.rawPath ?? request.event.requestContext?.http?.path ?? '/';
      const { problem, headers, unexpected } = errorToProblem(request.error, instance);
      if (unexpected) logger.error('Request failed unexpectedly', { error: request.error, status: problem.status });
      request.response = problemResponse(problem, headers);
    },
  };
}
