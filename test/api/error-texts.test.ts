import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { moveToSending, noUpoReason, recordAccepted, recordNoUpo, type OutgoingDocument } from '../../functions/domain/documents.js';
import { createApiTestClient, type ApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps, type TestDocumentDeps } from '../helpers/document-deps.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * The texts of errors an admin meets first: they say what is valid, what is missing, and what
 * exists, through the real handler (every response checked against the OpenAPI document).
 */

const PROBLEMS = 'https://ksef-job-queues.dev/problems/';
const CODE_UNITS = 'send-documents, process-sessions, process-upo, update-ledgers, incoming-documents';
const KSEF = '5265877635-20260202-0100001AF629-AF';
const NO_UPO = 'KSeF names no session holding the original of this duplicate';

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

describe('error texts of the queues API', () => {
  test.each([
    ['GET', '/queues/send-document'],
    ['POST', '/queues/SEND-DOCUMENTS'],
    ['POST', '/queues/upo/run'],
    ['GET', '/queues/nope/runs'],
  ])('%s %s names the five valid code units in its 404', async (method, url) => {
    // Prepare
    const api = createApiTestClient();

    // Act
    const response = await api.request(method, url);

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.type).toBe(`${PROBLEMS}unknown-code-unit`);
    expect(response.body.detail).toContain(`the code units are ${CODE_UNITS}.`);
    expect(response.body.errors).toEqual([{ field: 'codeUnit', reason: `must be one of ${CODE_UNITS}` }]);
  });

  test('a very long unknown code unit is quoted short so that the list of valid ones still fits', async () => {
    // Prepare
    const api = createApiTestClient();

    // Act
    const response = await api.request('GET', `/queues/${'x'.repeat(5_000)}`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain(`the code units are ${CODE_UNITS}.`);
  });

  test('a status request without status says status is required', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    // Act
    const response = await api.request('POST', '/queues/send-documents/status', { body: {} });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'status', reason: 'is required' }]);
  });

  test('a status request with another status still says which ones are allowed', async () => {
    // Prepare
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');

    // Act
    const response = await api.request('POST', '/queues/send-documents/status', { body: { status: 'InProcess' } });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'status', reason: 'must be one of "Ready", "OnHold"' }]);
  });
});

describe('the 404 of a UPO that is not stored', () => {
  let docs: TestDocumentDeps;
  let api: ApiTestClient;

  beforeEach(() => {
    docs = makeDocumentDeps(validator);
    api = createApiTestClient({ documents: { ...docs, companyNip: SELLER_NIP } });
  });

  async function acceptedDocument(number: string): Promise<OutgoingDocument> {
    const created = await api.request('POST', '/documents', { body: makeInvoiceXml({ number }), headers: { 'content-type': 'application/xml' } });
    const doc = (await docs.documents.get(created.body.id as string)) as OutgoingDocument;
    const sending = await docs.documents.update(moveToSending(doc, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: 'SO-1' }), doc.version);
    const accepted = recordAccepted(sending, { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', invoiceReferenceNumber: 'EE-1' });
    return docs.documents.update(accepted, sending.version);
  }

  test('is titled as a document that exists but has no UPO yet, not as a missing document', async () => {
    // Prepare
    const doc = await acceptedDocument('FV/UPO/1');

    // Act
    const response = await api.request('GET', `/documents/${doc.id}/upo`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: `${PROBLEMS}upo-not-yet`, title: 'The document exists but has no UPO yet' });
    expect(response.body.title).not.toBe('The document does not exist');
    expect(response.body.detail).toContain(`Document '${doc.id}' exists (Accepted)`);
  });

  test('gives the reason process-upo recorded when KSeF has no UPO for the document', async () => {
    // Prepare
    const doc = await acceptedDocument('FV/UPO/2');
    await docs.documents.update(recordNoUpo(doc, { at: '2026-02-02T10:00:00.000Z', by: 'process-upo', reason: NO_UPO }), doc.version);

    // Act
    const response = await api.request('GET', `/documents/${doc.id}/upo`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: `${PROBLEMS}no-upo`, title: 'The document exists but will get no UPO' });
    expect(response.body.detail).toBe(`Document '${doc.id}' exists (Accepted) but will get no UPO: ${NO_UPO}`);
  });

  test('the domain reads back the reason exactly as process-upo writes it', () => {
    // Prepare
    const doc = { history: [{ status: 'Accepted' as const, at: 'x', by: 'y', event: { kind: 'accepted', ksefNumber: null } }] } as unknown as OutgoingDocument;
    const recorded = recordNoUpo({ ...doc, id: 'd', status: 'Accepted', updatedAt: 'x' } as OutgoingDocument, { at: 'z', by: 'process-upo', reason: NO_UPO });

    // Act
    const reason = noUpoReason(recorded);

    // Assess
    expect(reason).toBe(NO_UPO);
    expect(noUpoReason(doc)).toBeNull();
  });

  test('an unknown document is still the document-not-found 404', async () => {
    // Act
    const response = await api.request('GET', '/documents/doc-9999/upo');

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.type).toBe(`${PROBLEMS}document-not-found`);
  });
});
