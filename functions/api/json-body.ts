import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiProblem } from './problem.js';

/** `application/json` and any `application/<x>+json` (e.g. merge-patch+json), with parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;

function invalid(reason: string, cause?: unknown): ApiProblem {
  return new ApiProblem('invalidBody', `The request body ${reason}.`, { errors: [{ field: 'body', reason }] }, { cause });
}

/**
 * The request body as a JSON object. Done here rather than with middy's JSON parser so that every
 * failure is a 400 naming `body` (middy answers 415/422 and would parse bodies of every route).
 */
export function readJsonObject(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const contentType = event.headers['content-type'];
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType.trim())) {
    throw invalid('must be sent with Content-Type: application/json');
  }
  if (event.body === undefined || event.body === '') throw invalid('is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid('must be valid JSON', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`must be a JSON object, not ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}
