import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { etagOf } from './http-response.js';
import { ApiProblem } from './problem.js';

interface EntityTagList {
  readonly any: boolean;
  readonly strong: ReadonlySet<string>;
}

/** RFC 9110 If-Match: `*` or a list of entity tags; weak tags never match (strong comparison). */
function parseIfMatch(header: string): EntityTagList {
  if (header.trim() === '*') return { any: true, strong: new Set() };
  const strong = new Set<string>();
  for (const match of header.matchAll(/(W\/)?"([^"]*)"/g)) {
    if (match[1] === undefined && match[2] !== undefined) strong.add(match[2]);
  }
  return { any: false, strong };
}

export function ifMatchOf(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers['if-match'];
  return header === undefined || header.trim() === '' ? undefined : header;
}

export function requireIfMatch(event: APIGatewayProxyEventV2): string {
  const header = ifMatchOf(event);
  if (header === undefined) {
    throw new ApiProblem('preconditionRequired', 'Send If-Match with the ETag of the entry you read (GET the entry first), so that no change is lost.');
  }
  return header;
}

/**
 * The version to write against when `header` matches the current version; a 412 otherwise.
 * Matching here and again in the conditional write keeps a concurrent change from slipping through.
 */
export function versionMatching(header: string, currentVersion: number): number {
  const tags = parseIfMatch(header);
  if (tags.any || tags.strong.has(String(currentVersion))) return currentVersion;
  throw new ApiProblem(
    'versionConflict',
    `If-Match ${header.slice(0, 100)} does not match the current version ${etagOf(currentVersion)}; read the entry again.`,
    { headers: { etag: etagOf(currentVersion) } },
  );
}
