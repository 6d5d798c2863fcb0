import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

const spec = JSON.parse(readFileSync(new URL('../../fixtures/ksef/openapi.json', import.meta.url), 'utf8')) as { components: { schemas: Record<string, unknown> } };

/** OpenAPI 3.0 `nullable` → JSON Schema, so ajv can check the official component schemas. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/components/schemas/', 'openapi#/definitions/');
    else if (!['example', 'nullable', 'deprecated', 'x-rate-limits'].includes(k)) out[k] = toJsonSchema(v);
  }
  if ((node as Record<string, unknown>).nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const addFormats = ((addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', definitions: toJsonSchema(spec.components.schemas) as Record<string, unknown> });

/** Errors of `body` against `components.schemas[name]` of the official OpenAPI (empty when valid). */
export function openApiErrors(name: string, body: unknown): ErrorObject[] {
  const validate = ajv.getSchema(`openapi#/definitions/${name}`);
  if (!validate) throw new Error(`No schema ${name} in openapi.json`);
  return validate(body) ? [] : [...(validate.errors ?? [])];
}
