import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../functions/api/openapi/document.js';

/*
 * Checks a response against the OpenAPI document the API serves, so the document cannot drift from
 * what the API does: the operation must exist and list the status, the media type must be declared,
 * the body must match the schema, and documented headers (but Link) must be present and valid.
 */

type Json = Record<string, unknown>;

export interface ObservedResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

const DOCUMENT_ID = 'https://ksef-job-queues.dev/openapi.json';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const wrapped = addFormatsModule as unknown as { default?: unknown };
const addFormats = (wrapped.default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const document = openApiDocument() as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

function resolve(node: unknown): Json {
  let current = node as Json;
  while (typeof current.$ref === 'string') {
    const pointer = current.$ref.replace(/^#\//, '').split('/');
    current = pointer.reduce<Json>((at, key) => at[key] as Json, document);
  }
  return current;
}

function validate(pointer: string, value: unknown): string[] {
  const validator = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
  if (!validator) throw new Error(`No schema at ${pointer}`);
  return validator(value) ? [] : (validator.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''}`);
}

function operationPathOf(path: string): string | undefined {
  const paths = Object.keys(document.paths as Json);
  return paths.find((template) => new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^/]+\}/g, '[^/]+')}/?$`).test(path));
}

/** Every way `response` differs from what the document promises; empty when it conforms. */
export function conformanceProblems(method: string, rawPath: string, response: ObservedResponse): string[] {
  const path = rawPath.split('?')[0] ?? rawPath;
  const template = operationPathOf(path);
  // Methods are case-sensitive: `get` is not GET.
  const key = method === method.toUpperCase() ? method.toLowerCase() : undefined;
  const operation = template === undefined || key === undefined ? undefined : ((document.paths as Json)[template] as Json)[key];
  const problems: string[] = [];
  let declared: Json;
  let pointer: string;
  if (operation === undefined) {
    // No operation: only the router's 404 / 405 problems may answer.
    if (![404, 405].includes(response.status)) return [`${method} ${path} is not documented but answered ${response.status}`];
    declared = resolve({ $ref: `#/components/responses/Problem404` });
    pointer = '/components/schemas/Problem';
    if (response.status === 405 && !response.headers.allow) problems.push('405 without Allow');
  } else {
    const responses = (operation as Json).responses as Json;
    const entry = responses[String(response.status)];
    if (entry === undefined) return [`${method} ${template} answered ${response.status}, which is not documented`];
    declared = resolve(entry);
    const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const content = declared.content as Json | undefined;
    if (content === undefined) {
      if (response.text !== '') problems.push(`${response.status} must have no body`);
      pointer = '';
    } else {
      const media = content[contentType] as Json | undefined;
      if (media === undefined) return [`${response.status} answered ${contentType || 'no content type'}, not ${Object.keys(content).join(' or ')}`];
      const schema = media.schema as Json;
      if (!/json$/.test(contentType)) {
        // A download (XML): the document declares a string; it must at least be one of its kind.
        if (schema.type !== 'string') problems.push(`${contentType} must be declared as a string`);
        if (/xml$/.test(contentType) && !/^(\uFEFF)?\s*</.test(response.text)) problems.push(`${response.status} body is not XML`);
        return [...problems, ...headerProblems(declared, response)];
      }
      pointer = typeof schema.$ref === 'string' ? schema.$ref.replace(/^#/, '') : `/paths/${template?.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${response.status}/content/${contentType.replace(/\//g, '~1')}/schema`;
    }
  }
  if (pointer !== '') {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return [...problems, `${response.status} body is not JSON`];
    }
    problems.push(...validate(pointer, body).map((message) => `body ${message}`));
    if (typeof body === 'object' && body !== null && 'status' in body && (body as { status: unknown }).status !== response.status && response.status >= 400) {
      problems.push('problem status differs from the HTTP status');
    }
  }
  return [...problems, ...headerProblems(declared, response)];
}

function headerProblems(declared: Json, response: ObservedResponse): string[] {
  const problems: string[] = [];
  for (const [name, header] of Object.entries((declared.headers as Json | undefined) ?? {})) {
    const value = response.headers[name.toLowerCase()];
    const definition = resolve(header);
    if (value === undefined) {
      if (definition.required === true) problems.push(`missing header ${name}`);
      continue;
    }
    const schema = definition.schema as Json | undefined;
    if (typeof schema?.pattern === 'string' && !new RegExp(schema.pattern).test(value)) problems.push(`header ${name} '${value}' does not match ${schema.pattern}`);
  }
  return problems;
}

export { document as openApiDocumentForTests };
