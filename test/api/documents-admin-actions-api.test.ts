import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { holdOffline, moveToSending, recordRejected, recordSent, type OutgoingDocument } from '../../functions/domain/documents.js';
import { createApiTestClient, ADMIN_ARN, type ApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps, type TestDocumentDeps } from '../helpers/document-deps.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * What an admin does through the API with a document the system put aside: POST
 * /documents/{id}/release for a Held invoice, and POST /documents with corrected XML for a Rejected
 * one. Through the real handler on the memory adapters with the real FA(3) validator; every
 * response is checked against the OpenAPI document by the client.
 */

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

const PROBLEMS = 'https://ksef-job-queues.dev/problems/';
const XML = { 'content-type': 'application/xml' } as const;
const SESSION = '20260202-SO-0000000001-0000000001-01';
const REASON = 'issued 2026-02-01, before the send date 2026-02-02 (Europe/Warsaw): KSeF would mark it offline';
const REJECTION = { code: 450, description: 'Błąd weryfikacji semantyki dokumentu faktury', details: ['Data wystawienia faktury jest późniejsza niż data przyjęcia.'] };

describe('releasing a held document through the API', () => {
  let docs: TestDocumentDeps;
  let api: ApiTestClient;

  beforeEach(() => {
    docs = makeDocumentDeps(validator);
    api = createApiTestClient({ documents: { ...docs, companyNip: SELLER_NIP } });
  });

  /** Submits an invoice and holds it as send-documents does; answers its id. */
  async function heldDocument(number: string): Promise<string> {
    const created = await api.request('POST', '/documents', { body: makeInvoiceXml({ number, issueDate: '2026-02-01' }), headers: XML });
    const doc = (await docs.documents.get(created.body.id as string)) as OutgoingDocument;
    await docs.documents.update(holdOffline(doc, { at: '2026-02-02T00:10:00.000Z', by: 'send-documents', reason: REASON }), doc.version);
    return doc.id;
  }

  const release = (id: string, body: unknown, headers: Record<string, string> = {}) => api.request('POST', `/documents/${id}/release`, { body, headers });

  test('a held invoice released as offline is Pending, declared offline, and the history records the caller; the answer is the document as GET returns it', async () => {
    // Prepare
    const id = await heldDocument('FV/REL/1');
    docs.clock.set('2026-02-02T09:30:00.000Z');

    // Act
    const released = await release(id, { offlineMode: true });
    const read = await api.request('GET', `/documents/${id}`);

    // Assess
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ id, status: 'Pending', offlineMode: true, heldReason: null, version: 3 });
    expect(released.body.history.at(-1)).toEqual({
      status: 'Pending',
      at: '2026-02-02T09:30:00.000Z',
      by: ADMIN_ARN,
      event: { kind: 'released', offlineMode: true },
      note: `released to be sent declared offline (offlineMode, offline24) (held: ${REASON})`,
    });
    expect(released.headers.etag).toBe('"3"');
    expect(read.body).toEqual(released.body);
    expect(read.headers.etag).toBe('"3"');
  });

  test('a held invoice released with offlineMode false is Pending and not declared offline, the history saying KSeF marks it offline itself', async () => {
    // Prepare
    const id = await heldDocument('FV/REL/2');

    // Act
    const released = await release(id, { offlineMode: false });

    // Assess
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'Pending', offlineMode: false, heldReason: null });
    expect(released.body.history.at(-1)).toMatchObject({ event: { kind: 'released', offlineMode: false }, note: expect.stringContaining('KSeF marks it offline') });
  });

  test.each([
    ['no offlineMode', {}, [{ field: 'offlineMode', reason: 'is required' }]],
    ['offlineMode as a string', { offlineMode: 'true' }, [{ field: 'offlineMode', reason: 'must be true or false' }]],
    ['an unknown field', { offlineMode: true, force: true }, [{ field: 'force', reason: 'is not a known field' }]],
  ])('a body with %s is a 400 naming the field, and the document stays Held', async (_name, body, errors) => {
    // Prepare
    const id = await heldDocument('FV/REL/3');

    // Act
    const response = await release(id, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: `${PROBLEMS}validation`, errors });
    expect((await docs.documents.get(id))?.status).toBe('Held');
  });

  test('a body that is not JSON is a 400 naming the body', async () => {
    // Prepare
    const id = await heldDocument('FV/REL/4');

    // Act
    const response = await release(id, 'offlineMode=true', { 'content-type': 'application/x-www-form-urlencoded' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', reason: 'must be sent with Content-Type: application/json' }]);
  });

  test('a document that is not Held is a 409 saying its status, and nothing changes', async () => {
    // Prepare
    const created = await api.request('POST', '/documents', { body: makeInvoiceXml({ number: 'FV/REL/5' }), headers: XML });

    // Act
    const response = await release(created.body.id as string, { offlineMode: true });

    // Assess
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: `${PROBLEMS}conflict`, detail: `Document '${created.body.id}' is Pending, not Held: only a document send-documents held can be released.` });
    expect((await docs.documents.get(created.body.id as string))?.version).toBe(1);
  });

  test('an unknown document is a 404', async () => {
    // Act
    const response = await release('doc-9999', { offlineMode: true });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.type).toBe(`${PROBLEMS}document-not-found`);
  });

  test('If-Match with the current ETag releases; a stale one is a 412 carrying the current ETag and changes nothing', async () => {
    // Prepare
    const first = await heldDocument('FV/REL/6');
    const second = await heldDocument('FV/REL/7');
    const etag = (await api.request('GET', `/documents/${first}`)).headers.etag ?? '';

    // Act
    const matching = await release(first, { offlineMode: true }, { 'if-match': etag });
    const stale = await release(second, { offlineMode: true }, { 'if-match': '"1"' });

    // Assess
    expect(etag).toBe('"2"');
    expect(matching.status).toBe(200);
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe(`${PROBLEMS}version-conflict`);
    expect(stale.headers.etag).toBe('"2"');
    expect((await docs.documents.get(second))?.status).toBe('Held');
  });

  test('a release that loses a race with another change of the document is decided on what is stored then', async () => {
    // Prepare: the first write fails as if another writer released it a moment earlier.
    const id = await heldDocument('FV/REL/8');
    const update = docs.documents.update.bind(docs.documents);
    let raced = false;
    docs.documents.update = async (next, expectedVersion) => {
      if (!raced) {
        raced = true;
        const stored = (await docs.documents.get(id)) as OutgoingDocument;
        await update({ ...next, history: [...next.history.slice(0, -1), { status: 'Pending', at: next.updatedAt, by: 'other-admin', event: { kind: 'released', offlineMode: false } }] }, stored.version);
      }
      return update(next, expectedVersion);
    };

    // Act
    const response = await release(id, { offlineMode: true });

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('is Pending, not Held');
    expect((await docs.documents.get(id))?.history.at(-1)?.by).toBe('other-admin');
  });
});

describe('resubmitting a rejected document through the API', () => {
  let docs: TestDocumentDeps;
  let api: ApiTestClient;
  const submit = (xml: string) => api.request('POST', '/documents', { body: xml, headers: XML });

  beforeEach(() => {
    docs = makeDocumentDeps(validator);
    api = createApiTestClient({ documents: { ...docs, companyNip: SELLER_NIP } });
  });

  /** Submits an invoice and takes it through a send that KSeF rejects; answers the document. */
  async function rejectedDocument(xml: string): Promise<OutgoingDocument> {
    const created = await submit(xml);
    const pending = (await docs.documents.get(created.body.id as string)) as OutgoingDocument;
    const sending = await docs.documents.update(moveToSending(pending, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: SESSION }), 1);
    const sent = await docs.documents.update(recordSent(sending, { at: '2026-02-02T09:00:01.000Z', by: 'send-documents', sessionReferenceNumber: SESSION, invoiceReferenceNumber: 'EE-1' }), 2);
    return docs.documents.update(recordRejected(sent, { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', rejection: REJECTION }), 3);
  }

  test('corrected XML with the number of a rejected invoice replaces it: 200, the same document Pending with the new content, the rejection kept in the history', async () => {
    // Prepare
    const before = await rejectedDocument(makeInvoiceXml({ number: 'FV/RES/1', issueDate: '2026-02-03' }));
    const correctedXml = makeInvoiceXml({ number: 'FV/RES/1', issueDate: '2026-02-02' });
    docs.clock.set('2026-02-02T10:00:00.000Z');

    // Act
    const response = await submit(correctedXml);
    const xml = await api.request('GET', `/documents/${before.id}/xml`);
    const again = await submit(correctedXml);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.location).toBe(`/documents/${before.id}`);
    expect(response.body).toMatchObject({ id: before.id, status: 'Pending', rejection: null, sessionReferenceNumber: null, invoiceReferenceNumber: null, fields: { issueDate: '2026-02-02' }, version: 5 });
    expect(response.body.contentSha256).not.toBe(before.contentSha256);
    expect(response.body.history.map((change: { status: string }) => change.status)).toEqual(['Pending', 'Sending', 'Sent', 'Rejected', 'Pending']);
    expect(response.body.history.at(-1)).toMatchObject({
      at: '2026-02-02T10:00:00.000Z',
      by: ADMIN_ARN,
      event: { kind: 'resubmitted', contentSha256: response.body.contentSha256, replacedSha256: before.contentSha256 },
    });
    expect(response.body.history.at(-1).note).toContain('450 Błąd weryfikacji semantyki dokumentu faktury');
    expect(xml.text).toBe(correctedXml);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(response.body);
  });

  test('the same XML as the rejected invoice is a 409 saying it was rejected and must be corrected, pointing at the document', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/RES/2', issueDate: '2026-02-03' });
    const before = await rejectedDocument(xml);

    // Act
    const response = await submit(xml);

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.type).toBe(`${PROBLEMS}conflict`);
    expect(response.body.detail).toBe(
      "Invoice VAT 'FV/RES/2' was rejected by KSeF (450 Błąd weryfikacji semantyki dokumentu faktury) with exactly this content; correct the invoice and submit the corrected XML with the same number.",
    );
    expect(response.headers.location).toBe(`/documents/${before.id}`);
    expect((await docs.documents.get(before.id))?.status).toBe('Rejected');
  });

  test('corrected XML that breaks the FA(3) schema is a 400 and the rejected document stays as it was', async () => {
    // Prepare
    const before = await rejectedDocument(makeInvoiceXml({ number: 'FV/RES/3', issueDate: '2026-02-03' }));

    // Act
    const response = await submit(makeInvoiceXml({ number: 'FV/RES/3', issueDate: '2026-02-30' }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(`${PROBLEMS}invalid-document`);
    expect(await docs.documents.get(before.id)).toEqual(before);
  });

  test('different content for an invoice number that is not Rejected is still a 409', async () => {
    // Prepare
    await submit(makeInvoiceXml({ number: 'FV/RES/4' }));

    // Act
    const response = await submit(makeInvoiceXml({ number: 'FV/RES/4', issueDate: '2026-02-01' }));

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('already submitted with different content');
  });

  test('two corrections racing for one rejected invoice: one replaces it, the other is a 409 against the new content', async () => {
    // Prepare
    const before = await rejectedDocument(makeInvoiceXml({ number: 'FV/RES/5', issueDate: '2026-02-03' }));

    // Act
    const [a, b] = await Promise.all([
      submit(makeInvoiceXml({ number: 'FV/RES/5', issueDate: '2026-02-02' })),
      submit(makeInvoiceXml({ number: 'FV/RES/5', issueDate: '2026-02-01' })),
    ]);

    // Assess
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const stored = await docs.documents.get(before.id);
    expect(stored?.status).toBe('Pending');
    expect(stored?.history.filter((change) => change.event.kind === 'resubmitted')).toHaveLength(1);
  });
});
