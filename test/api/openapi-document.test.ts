import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { API_ROUTES } from '../../functions/api/create-api-handler.js';
import { openApiDocument } from '../../functions/api/openapi/document.js';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { defaultSettings } from '../../functions/domain/settings.js';

type Json = Record<string, any>;

const wrapped = addFormatsModule as unknown as { default?: unknown };
const addFormats = (wrapped.default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const document = openApiDocument() as Json;
const METHODS = ['get', 'post', 'patch', 'delete', 'put', 'head', 'options'];

function schemaValidator(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'https://example.test/openapi.json' });
  const validate = ajv.getSchema(`https://example.test/openapi.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate;
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

/** A $ref followed to what it names. */
function resolve(node: Json): Json {
  let current = node;
  while (typeof current.$ref === 'string') current = current.$ref.replace(/^#\//, '').split('/').reduce((at: Json, key: string) => at[key], document);
  return current;
}

function operations(): { key: string; path: string; operation: Json }[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => method in item).map((method) => ({ key: `${method.toUpperCase()} ${path}`, path, operation: item[method] as Json })),
  );
}

describe('the OpenAPI document', () => {
  test('it is an OpenAPI 3.1 document in the JSON Schema 2020-12 dialect', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  test('it describes exactly the routes the API serves', () => {
    const documented = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(documented.sort()).toEqual(API_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  test('every reference in it resolves', () => {
    for (const ref of refsIn(document)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<Json | undefined>((at, key) => at?.[key], document);
      expect(target, ref).toBeDefined();
    }
  });

  test('it offers SigV4 on AWS and a bearer token locally, and only the document itself may be read without either', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearer', 'sigv4']);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ sigv4: [] }, { bearer: [] }]);
    const anonymous = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]?.security?.some((requirement: Json) => Object.keys(requirement).length === 0)).map((method) => `${method} ${path}`),
    );
    expect(anonymous).toEqual(['get /openapi.json']);
  });

  test('every operation documents its problem responses as application/problem+json', () => {
    for (const item of Object.values(document.paths as Json)) {
      for (const method of METHODS.filter((m) => m in item)) {
        const responses = item[method].responses as Json;
        expect(responses['500'], method).toEqual({ $ref: '#/components/responses/Problem500' });
        expect(responses['400'], method).toBeDefined();
      }
    }
    for (const response of Object.values(document.components.responses as Json)) {
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    }
  });

  test('every path parameter of a path is described once, at its path, under its name in the template', () => {
    for (const [path, item] of Object.entries(document.paths as Json)) {
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
      const described = ((item.parameters ?? []) as Json[]).map((parameter) => resolve(parameter)).filter((parameter) => parameter.in === 'path');

      expect(described.map((parameter) => parameter.name), path).toEqual(named);
      for (const parameter of described) expect(parameter.required, `${path} {${parameter.name}}`).toBe(true);
    }
  });

  test('every operation has its own operationId and only the tags the document lists', () => {
    const tags = new Set((document.tags as Json[]).map((tag) => tag.name));
    const ids = operations().map(({ operation }) => operation.operationId);

    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, operation } of operations()) {
      expect(operation.tags.length, key).toBeGreaterThan(0);
      for (const tag of operation.tags) expect(tags, `${key}: ${tag}`).toContain(tag);
    }
  });

  test('the problems an operation documents follow from its shape: 404 with path parameters, 412 with If-Match, 428 when it is required, 401 unless anonymous', () => {
    for (const { key, path, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      const headers = ((operation.parameters ?? []) as Json[]).map((parameter) => resolve(parameter)).filter((parameter) => parameter.in === 'header');
      const ifMatch = headers.find((parameter) => parameter.name === 'If-Match');

      expect(statuses.includes('404'), key).toBe(path.includes('{'));
      expect(statuses.includes('412'), key).toBe(ifMatch !== undefined);
      expect(statuses.includes('428'), key).toBe(ifMatch?.required === true);
      expect(statuses.includes('401'), key).toBe(operation.security === undefined);
    }
  });

  test('every operation that takes a body says which media types, and every response with a body has a schema for it', () => {
    for (const { key, operation } of operations()) {
      for (const media of Object.values((operation.requestBody?.content ?? {}) as Json)) expect(media.schema, key).toBeDefined();
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        for (const media of Object.values((resolve(response).content ?? {}) as Json)) expect(media.schema, `${key} ${status}`).toBeDefined();
      }
    }
  });

  test('the settings schema, built from the domain zod schema, accepts every default entry', () => {
    const validate = schemaValidator('EntrySettings');

    for (const codeUnit of CODE_UNIT_IDS) expect(validate(defaultSettings(codeUnit)), codeUnit).toBe(true);
  });

  test('the settings schemas refuse what the API refuses: unknown fields and values out of range', () => {
    const settings = schemaValidator('EntrySettings');
    const patch = schemaValidator('EntrySettingsPatch');

    expect(settings({ ...defaultSettings('send-documents'), colour: 'red' })).toBe(false);
    expect(patch({ maxAttempts: 0 })).toBe(false);
    expect(patch({ recurrence: { startingTime: '25:00' } })).toBe(false);
    expect(patch({ recurrence: { minutesBetweenRuns: 60 } })).toBe(true);
  });

  test('the problem schema has the RFC 9457 members and the list of bad fields', () => {
    const problem = schemaValidator('Problem');

    expect(problem({ type: 'https://ksef-job-queues.dev/problems/validation', title: 't', status: 400, detail: 'd', instance: '/queues', errors: [{ field: 'body', reason: 'r' }] })).toBe(true);
    expect(problem({ type: 'https://ksef-job-queues.dev/problems/validation', title: 't', status: 400, detail: 'd', instance: '/queues', errors: [{ field: 'body' }] })).toBe(false);
    expect(problem({ title: 't', status: 400, detail: 'd', instance: '/' })).toBe(false);
  });
});
