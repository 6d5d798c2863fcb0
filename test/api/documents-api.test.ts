import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { attachUpo, moveToSending, recordAccepted } from '../../functions/domain/documents.js';
import { documentBlobKeys } from '../../functions/ports/document-store.js';
import { MAX_INVOICE_BYTES } from '../../functions/use-cases/submit-document.js';
import { createApiTestClient, ADMIN_ARN, type ApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps, type TestDocumentDeps } from '../helpers/document-deps.js';
import { makeIncoming, makeLedgerRow } from '../helpers/document-factory.js';
import { makeInvalidInvoiceXmls, makeInvoiceXml, makeNip, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * The documents endpoints (issue 4) through the real handler: memory repositories and document
 * store, the real FA(3) XSD validator and parser, invoices from the official template. Every
 * response is checked against the OpenAPI document by the client.
 */

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

const PROBLEMS = 'https://ksef-job-queues.dev/problems/';
const KSEF = '5265877635-20260202-0100001AF629-AF';
const XML = { 'content-type': 'application/xml' } as const;

const linkOf = (header: string | undefined): string => /^<([^>]+)>; rel="next"$/.exec(header ?? '')?.[1] ?? '/no-next-link';

describe('the documents API', () => {
  let docs: TestDocumentDeps;
  let api: ApiTestClient;
  const submit = (xml: string, headers: Record<string, string> = XML) => api.request('POST', '/documents', { body: xml, headers });

  beforeEach(() => {
    docs = makeDocumentDeps(validator);
    api = createApiTestClient({ documents: { ...docs, companyNip: SELLER_NIP } });
  });

  test('a valid invoice is stored and answered 201 with its Location; the same invoice again is the same document, 200', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/API/1' });

    // Act
    const created = await submit(xml);
    const again = await submit(xml);
    const read = await api.request('GET', created.headers.location ?? '/no-location');

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/documents/doc-0001');
    expect(created.body).toMatchObject({ id: 'doc-0001', status: 'Pending', submittedBy: ADMIN_ARN, upoPresent: false, fields: { invoiceNumber: 'FV/API/1', sellerNip: SELLER_NIP } });
    expect(created.body.history).toEqual([{ status: 'Pending', at: '2026-02-02T08:00:00.000Z', by: ADMIN_ARN, event: { kind: 'submitted' }, note: 'submitted' }]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(read.body).toEqual(created.body);
  });

  test('the same invoice number with different content is a 409 that points at the stored document', async () => {
    // Prepare
    await submit(makeInvoiceXml({ number: 'FV/API/2' }));

    // Act
    const changed = await submit(makeInvoiceXml({ number: 'FV/API/2', amounts: { net: '100.00', vat: '23.00', gross: '123.00' } }));

    // Assess
    expect(changed.status).toBe(409);
    expect(changed.body.type).toBe(`${PROBLEMS}conflict`);
    expect(changed.body.detail).toContain("'FV/API/2'");
    expect(changed.headers.location).toBe('/documents/doc-0001');
  });

  test('an invoice that breaks the FA(3) schema is a 400 with every schema error (line, element, message) and is not stored', async () => {
    // Prepare
    const threeErrors = makeInvalidInvoiceXmls()[1]!.xml;

    // Act
    const response = await submit(threeErrors);
    const list = await api.request('GET', '/documents');

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(`${PROBLEMS}invalid-document`);
    expect(response.body.detail).toBe('The document is not valid FA(3) XML: 3 errors.');
    expect(response.body.schemaErrors.map((issue: { element: string }) => issue.element)).toEqual(['P_1', 'P_15', 'RodzajFaktury']);
    for (const issue of response.body.schemaErrors) {
      expect(issue.line).toBe(threeErrors.split('\n').findIndex((line) => line.includes(`<${issue.element}>`)) + 1);
      expect(issue.message).toContain(`Element '${issue.element}'`);
    }
    expect(response.body.errors.map((issue: { field: string }) => issue.field)).toEqual(['P_1', 'P_15', 'RodzajFaktury']);
    expect(list.body.items).toEqual([]);
  });

  test('XML that is not well-formed is a 400 naming the problem, and is not stored', async () => {
    // Act
    const response = await submit(makeInvalidInvoiceXmls()[0]!.xml);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(`${PROBLEMS}invalid-document`);
    expect(response.body.schemaErrors).toHaveLength(1);
    expect(docs.blobs).toBeDefined();
    expect((await api.request('GET', '/documents')).body.items).toEqual([]);
  });

  test("an invoice of another seller is refused, naming the seller's NIP", async () => {
    // Act
    const response = await submit(makeInvoiceXml({ number: 'FV/API/3', sellerNip: makeNip(7) }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.type).toBe(`${PROBLEMS}validation`);
    expect(response.body.errors).toEqual([{ field: 'Podmiot1/DaneIdentyfikacyjne/NIP', reason: `is ${makeNip(7)}, but this system sends invoices of the company ${SELLER_NIP} only` }]);
  });

  test('an invoice sent as JSON or without a Content-Type is a 415 naming Content-Type', async () => {
    // Act
    const asJson = await submit(makeInvoiceXml(), { 'content-type': 'application/json' });
    const without = await submit(makeInvoiceXml(), {});
    const latin2 = await submit(makeInvoiceXml(), { 'content-type': 'application/xml; charset=iso-8859-2' });

    // Assess
    for (const response of [asJson, without, latin2]) {
      expect(response.status).toBe(415);
      expect(response.body.type).toBe(`${PROBLEMS}unsupported-media-type`);
      expect(response.body.errors[0].field).toBe('Content-Type');
    }
  });

  test('an empty body is a 400 naming the body; one over the size limit a 413', async () => {
    // Act
    const empty = await submit('');
    const huge = await submit(`<a>${'x'.repeat(MAX_INVOICE_BYTES)}</a>`);

    // Assess
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'body', reason: 'is empty; send the invoice XML' }]);
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0]).toMatchObject({ field: 'body' });
  });

  test('a base64 body, as API Gateway delivers binary media, is stored byte for byte: the download hashes to the document hash', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/API/ŻÓŁW/4', sellerName: 'Zakład Łąkowy „Pszczółka” sp. z o.o.' });
    const bytes = Buffer.from(xml, 'utf8');

    // Act
    const created = await api.request('POST', '/documents', { body: bytes.toString('base64'), isBase64Encoded: true, headers: { 'content-type': 'text/xml; charset=UTF-8' } });
    const download = await api.request('GET', `/documents/${created.body.id}/xml`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.fields.sellerName).toBe('Zakład Łąkowy „Pszczółka” sp. z o.o.');
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(download.headers['content-disposition']).toBe('attachment; filename="FV-API-W-4.xml"');
    expect(download.bytes.equals(bytes)).toBe(true);
    expect(createHash('sha256').update(download.bytes).digest('base64')).toBe(created.body.contentSha256);
  });

  test('the UPO is a 404 until process-upo has stored it, then downloads as XML', async () => {
    // Prepare
    const id = (await submit(makeInvoiceXml({ number: 'FV/API/5' }))).body.id as string;
    const pending = await api.request('GET', `/documents/${id}/upo`);
    const sending = await docs.documents.update(moveToSending((await docs.documents.get(id))!, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: 'SO-1' }), 1);
    const accepted = await docs.documents.update(
      recordAccepted(sending, { at: '2026-02-02T09:05:00.000Z', by: 'process-sessions', ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', invoiceReferenceNumber: 'EE-1' }),
      2,
    );
    const notYet = await api.request('GET', `/documents/${id}/upo`);
    await docs.blobs.put(documentBlobKeys.invoiceUpo(KSEF), Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Potwierdzenie/>'));
    await docs.documents.update(attachUpo(accepted, documentBlobKeys.invoiceUpo(KSEF), '2026-02-02T09:10:00.000Z'), 3);

    // Act
    const upo = await api.request('GET', `/documents/${id}/upo`);
    const card = await api.request('GET', `/documents/${id}`);

    // Assess
    expect(pending.status).toBe(404);
    expect(pending.body).toMatchObject({ type: `${PROBLEMS}upo-not-yet`, title: 'The document exists but has no UPO yet' });
    expect(pending.body.detail).toContain('while the document is Pending');
    expect(notYet.status).toBe(404);
    expect(notYet.body.detail).toBe(`Document '${id}' exists (Accepted) but its UPO has not been downloaded yet; process-upo downloads it on one of its next runs.`);
    expect(upo.status).toBe(200);
    expect(upo.text).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Potwierdzenie/>');
    expect(upo.headers['content-disposition']).toBe(`attachment; filename="UPO-${KSEF}.xml"`);
    expect(card.body).toMatchObject({ status: 'Accepted', ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', sessionReferenceNumber: 'SO-1', invoiceReferenceNumber: 'EE-1', upoPresent: true });
    expect(card.body.history.map((change: { status: string }) => change.status)).toEqual(['Pending', 'Sending', 'Accepted']);
  });

  test('an unknown or malformed document id is a 404 problem', async () => {
    // Act
    const unknown = await api.request('GET', '/documents/doc-9999');
    const malformed = await api.request('GET', '/documents/..%2F..%2Fetc%2Fpasswd/xml');

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ type: `${PROBLEMS}document-not-found`, detail: "No document 'doc-9999' exists." });
    expect(malformed.status).toBe(404);
  });

  test('the list filters by status and issue date and links the next page with the same filters', async () => {
    // Prepare
    for (const [i, issueDate] of ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04'].entries()) await submit(makeInvoiceXml({ number: `FV/L/${i}`, issueDate }));

    // Act
    const first = await api.request('GET', '/documents?status=Pending&from=2026-02-02&to=2026-02-03&limit=1');
    const second = await api.request('GET', linkOf(first.headers.link));
    const accepted = await api.request('GET', '/documents?status=Accepted');

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.items.map((doc: { invoiceNumber: string }) => doc.invoiceNumber)).toEqual(['FV/L/1']);
    expect(first.body.items[0]).toMatchObject({ status: 'Pending', grossAmount: '53.63', currency: 'PLN', ksefNumber: null, rejectionCode: null });
    expect(linkOf(first.headers.link)).toBe(`/documents?status=Pending&from=2026-02-02&to=2026-02-03&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((doc: { invoiceNumber: string }) => doc.invoiceNumber)).toEqual(['FV/L/2']);
    expect(second.body.nextCursor).toBeNull();
    expect(second.headers.link).toBeUndefined();
    expect(accepted.body).toEqual({ items: [], nextCursor: null });
  });

  test('bad list parameters are refused by name', async () => {
    // Act
    const responses = await Promise.all(
      ['status=Done', 'limit=0', 'limit=ten', 'from=02/02/2026', 'to=2026-02-30', 'from=2026-02-03&to=2026-02-01', 'cursor=garbage', 'sort=desc'].map((query) =>
        api.request('GET', `/documents?${query}`),
      ),
    );

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(400));
    expect(responses.map((response) => response.body.errors[0].field)).toEqual(['status', 'limit', 'limit', 'from', 'to', 'from', 'cursor', 'sort']);
  });

  test('incoming documents list, read and download by KSeF number', async () => {
    // Prepare
    const incoming = makeIncoming(KSEF, { invoiceNumber: 'ZAKUP/1' });
    await docs.incoming.add(incoming);
    await docs.blobs.put(incoming.xmlKey, Buffer.from('<Faktura>zakup</Faktura>'));

    // Act
    const list = await api.request('GET', '/incoming-documents?from=2026-02-01');
    const card = await api.request('GET', `/incoming-documents/${KSEF}`);
    const xml = await api.request('GET', `/incoming-documents/${KSEF}/xml`);
    const missing = await api.request('GET', '/incoming-documents/5265877635-20260202-0100001AF629-00');
    const badQuery = await api.request('GET', '/incoming-documents?status=Accepted');

    // Assess
    expect(list.body.items).toEqual([card.body]);
    expect(card.body).toMatchObject({ ksefNumber: KSEF, fields: { invoiceNumber: 'ZAKUP/1', sellerNip: '1111111111' } });
    expect(card.body).not.toHaveProperty('xmlKey');
    expect(xml.text).toBe('<Faktura>zakup</Faktura>');
    expect(xml.headers['content-disposition']).toBe(`attachment; filename="${KSEF}.xml"`);
    expect(missing.status).toBe(404);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors[0].field).toBe('status');
  });

  test('the ledger lists its rows, a page at a time', async () => {
    // Prepare
    await docs.ledger.put(makeLedgerRow(KSEF));
    await docs.ledger.put(makeLedgerRow('5265877635-20260203-0100001AF629-4C', { issueDate: '2026-02-03', direction: 'Incoming', status: 'Received', flags: ['InKsefOnly'] }));

    // Act
    const first = await api.request('GET', '/ledger?limit=1');
    const second = await api.request('GET', linkOf(first.headers.link));

    // Assess
    expect(first.body.items).toEqual([makeLedgerRow(KSEF)]);
    expect(second.body.items.map((row: { ksefNumber: string }) => row.ksefNumber)).toEqual(['5265877635-20260203-0100001AF629-4C']);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('the documents API without documents configured', () => {
  test.each([
    ['POST', '/documents'],
    ['GET', '/documents'],
    ['GET', '/documents/doc-0001'],
    ['GET', '/documents/doc-0001/xml'],
    ['GET', '/documents/doc-0001/upo'],
    ['GET', '/incoming-documents'],
    ['GET', `/incoming-documents/${KSEF}`],
    ['GET', `/incoming-documents/${KSEF}/xml`],
    ['GET', '/ledger'],
  ] as const)('%s %s answers 503 not configured', async (method, url) => {
    // Prepare
    const api = createApiTestClient();

    // Act
    const response = await api.request(method, url, method === 'POST' ? { body: makeInvoiceXml(), headers: XML } : {});

    // Assess
    expect(response.status).toBe(503);
    expect(response.body.type).toBe(`${PROBLEMS}not-configured`);
  });
});
