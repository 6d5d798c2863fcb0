import { afterAll, describe, expect, test } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { holdOffline, type OutgoingDocument } from '../../functions/domain/documents.js';
import { createApiTestClient, type ApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps } from '../helpers/document-deps.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * If-Match as an admin types it by hand: an unquoted version is a typo to point out (400), not a
 * stale version (412); a weak tag is well-formed but never matches, because If-Match compares
 * strongly (RFC 9110 §13.1.1). Every route that takes If-Match behaves alike.
 */

const PROBLEMS = 'https://ksef-job-queues.dev/problems/';

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

type Change = (api: ApiTestClient, ifMatch: string) => Promise<{ status: number; headers: Readonly<Record<string, string>>; body: any }>;

/** Each route that takes If-Match, on something at version 1 (queues) or 2 (a held document). */
const ROUTES: ReadonlyArray<readonly [string, () => Promise<{ api: ApiTestClient; change: Change; version: number }>]> = [
  [
    'PATCH /queues/{codeUnit}',
    async () => {
      const api = createApiTestClient();
      await api.request('POST', '/queues/send-documents');
      return { api, version: 1, change: (client, ifMatch) => client.request('PATCH', '/queues/send-documents', { headers: { 'if-match': ifMatch }, body: { maxAttempts: 4 } }) };
    },
  ],
  [
    'POST /queues/{codeUnit}/status',
    async () => {
      const api = createApiTestClient();
      await api.request('POST', '/queues/send-documents');
      return { api, version: 1, change: (client, ifMatch) => client.request('POST', '/queues/send-documents/status', { headers: { 'if-match': ifMatch }, body: { status: 'Ready' } }) };
    },
  ],
  [
    'DELETE /queues/{codeUnit}',
    async () => {
      const api = createApiTestClient();
      await api.request('POST', '/queues/send-documents');
      return { api, version: 1, change: (client, ifMatch) => client.request('DELETE', '/queues/send-documents', { headers: { 'if-match': ifMatch } }) };
    },
  ],
  [
    'POST /documents/{id}/release',
    async () => {
      const docs = makeDocumentDeps(validator);
      const api = createApiTestClient({ documents: { ...docs, companyNip: SELLER_NIP } });
      const created = await api.request('POST', '/documents', { body: makeInvoiceXml({ number: 'FV/IFM/1', issueDate: '2026-02-01' }), headers: { 'content-type': 'application/xml' } });
      const doc = (await docs.documents.get(created.body.id as string)) as OutgoingDocument;
      await docs.documents.update(holdOffline(doc, { at: '2026-02-02T00:10:00.000Z', by: 'send-documents', reason: 'would be marked offline' }), doc.version);
      const path = `/documents/${doc.id}/release`;
      return { api, version: 2, change: (client, ifMatch) => client.request('POST', path, { headers: { 'if-match': ifMatch }, body: { offlineMode: true } }) };
    },
  ],
];

describe('If-Match syntax on every route that takes it', () => {
  test.each(ROUTES)('%s with an unquoted version answers 400 naming If-Match and saying an entity tag must be quoted', async (_name, prepare) => {
    // Prepare
    const { api, change, version } = await prepare();

    // Act
    const response = await change(api, String(version));

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.type).toBe(`${PROBLEMS}validation`);
    expect(response.body.detail).toContain(`an entity tag must be quoted, e.g. If-Match: "${version}"`);
    expect(response.body.errors).toEqual([{ field: 'If-Match', reason: expect.stringContaining('in double quotes') }]);
  });

  test.each(ROUTES)('%s with a weak tag of the current version answers 412 explaining that If-Match compares strongly', async (_name, prepare) => {
    // Prepare
    const { api, change, version } = await prepare();

    // Act
    const response = await change(api, `W/"${version}"`);

    // Assess
    expect(response.status).toBe(412);
    expect(response.headers.etag).toBe(`"${version}"`);
    expect(response.body.detail).toContain('weak entity tag');
    expect(response.body.detail).toContain('RFC 9110');
  });

  test.each(ROUTES)('%s with the current version among a list of quoted tags goes through', async (_name, prepare) => {
    // Prepare
    const { api, change, version } = await prepare();

    // Act
    const response = await change(api, ` "0" , W/"${version}",  "${version}" `);

    // Assess
    expect(response.status).toBeLessThan(300);
  });

  test.each(['1', '"1', 'W/1', '"1" "2"', '"1"x', ',', 'abc, "1"'])('PATCH with If-Match %s is a 400 that changes nothing', async (ifMatch) => {
    // Prepare
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    // Act
    const response = await api.request('PATCH', '/queues/send-documents', { headers: { 'if-match': ifMatch }, body: { maxAttempts: 4 } });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('If-Match');
    expect((await api.deps.entries.get('send-documents'))?.version).toBe(1);
  });
});
