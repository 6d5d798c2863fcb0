import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { etagOf } from './http-response.js';
import { ApiProblem } from './problem.js';

/** An If-Match header as sent (`text`, for messages) and the entity tags it names. */
export interface IfMatch {
  readonly text: string;
  readonly any: boolean;
  readonly strong: ReadonlySet<string>;
  readonly weak: ReadonlySet<string>;
}

/** RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text. */
const ETAGC = /^[\x21\x23-\x7e\x80-\xff]*$/;
/** Quoted strings first, so that a comma inside one is not a separator; every alternative is linear. */
const TOKEN = /(W\/)?"([^"]*)"|,|[ \t]+|[^, \t"]+|"/g;

const shown = (text: string): string => text.slice(0, 100);

function unquoted(text: string): ApiProblem {
  const bare = /^[\x21\x23-\x7e]{1,100}$/.test(text.trim()) ? text.trim() : '1';
  return new ApiProblem(
    'validation',
    `If-Match ${shown(text)} is not an entity tag: an entity tag must be quoted, e.g. If-Match: "${bare.replaceAll('"', '')}". Send the ETag header exactly as the API sent it, or *.`,
    { errors: [{ field: 'If-Match', reason: 'must be * or entity tags in double quotes, e.g. "1" (the ETag exactly as the API sent it)' }] },
  );
}

/**
 * If-Match = "*" / #entity-tag (a comma-separated list, empty elements allowed by RFC 9110 §5.6.1);
 * a 400 for anything else, such as an unquoted `1`, rather than a 412 that hides the typo.
 */
function parseIfMatch(text: string): IfMatch {
  if (text.trim() === '*') return { text, any: true, strong: new Set(), weak: new Set() };
  const strong = new Set<string>();
  const weak = new Set<string>();
  let tagsInElement = 0;
  for (const [token, weakPrefix, opaque] of text.matchAll(TOKEN)) {
    if (token === ',') tagsInElement = 0;
    else if (opaque !== undefined && ETAGC.test(opaque) && tagsInElement === 0) {
      tagsInElement = 1;
      (weakPrefix === undefined ? strong : weak).add(opaque);
    } else if (token.trim() !== '') throw unquoted(text);
  }
  if (strong.size + weak.size === 0) throw unquoted(text);
  return { text, any: false, strong, weak };
}

/** The If-Match the request carries, or undefined; a 400 when it is not `*` or entity tags. */
export function ifMatchOf(event: APIGatewayProxyEventV2): IfMatch | undefined {
  const header = event.headers['if-match'];
  return header === undefined || header.trim() === '' ? undefined : parseIfMatch(header);
}

export function requireIfMatch(event: APIGatewayProxyEventV2): IfMatch {
  const ifMatch = ifMatchOf(event);
  if (ifMatch === undefined) {
    throw new ApiProblem('preconditionRequired', 'Send If-Match with the ETag of the entry you read (GET the entry first), so that no change is lost.');
  }
  return ifMatch;
}

/**
 * The version to write against when If-Match matches the current version; a 412 otherwise.
 * Matching here and again in the conditional write keeps a concurrent change from slipping through.
 *
 * Weak tags (W/"1") never match: RFC 9110 §13.1.1 requires the strong comparison for If-Match,
 * because the precondition guards a change against any change of the stored entry since it was
 * read, and a weak tag only claims an equivalent representation. The API only ever sends strong
 * ETags, so a weak one comes from something in between that rewrote it: the 412 says so.
 */
export function versionMatching(ifMatch: IfMatch, currentVersion: number): number {
  if (ifMatch.any || ifMatch.strong.has(String(currentVersion))) return currentVersion;
  const weakOnly = ifMatch.strong.size === 0 && ifMatch.weak.has(String(currentVersion));
  const detail = weakOnly
    ? `If-Match ${shown(ifMatch.text)} is a weak entity tag, and If-Match compares strongly (RFC 9110 §13.1.1), so it never matches; send the ETag ${etagOf(currentVersion)} as the API sent it.`
    : `If-Match ${shown(ifMatch.text)} does not match the current version ${etagOf(currentVersion)}; read the entry again.`;
  throw new ApiProblem('versionConflict', detail, { headers: { etag: etagOf(currentVersion) } });
}
