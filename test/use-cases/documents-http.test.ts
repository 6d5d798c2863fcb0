import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { attachUpo, moveToSending, recordAccepted, recordRejected } from '../../functions/domain/documents.js';
import { DocumentNotFoundError, ValidationError } from '../../functions/domain/errors.js';
import { documentBlobKeys } from '../../functions/ports/document-store.js';
import {
  getDocumentHttp,
  getDocumentUpoHttp,
  getDocumentXmlHttp,
  getIncomingHttp,
  getIncomingXmlHttp,
  listDocumentsHttp,
  listIncomingHttp,
  listLedgerHttp,
  postDocumentHttp,
} from '../../functions/use-cases/documents-http.js';
import type { DocumentDetails, DocumentSummary } from '../../functions/use-cases/read-documents.js';
import { makeDocumentDeps, type TestDocumentDeps } from '../helpers/document-deps.js';
import { makeIncoming, makeLedgerRow } from '../helpers/document-factory.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';
import { rejection } from '../helpers/rejection.js';

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

const KSEF = '5265877635-20260202-0100001AF629-AF';
const by = 'process-sessions';

describe('documents over HTTP', () => {
  let deps: TestDocumentDeps;
  const post = (xml: string) => postDocumentHttp(deps, { body: xml, contentType: 'application/xml', companyNip: SELLER_NIP, caller: 'admin@example.com' });

  beforeEach(() => {
    deps = makeDocumentDeps(validator);
  });

  it('POST answers 201 with a Location the first time and 200 with the same document the second time', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/H/1' });
    // Act
    const first = await post(xml);
    const second = await post(xml);
    // Assess
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe('/documents/doc-0001');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body).not.toHaveProperty('xmlKey');
    expect((first.body as DocumentDetails).upoPresent).toBe(false);
  });

  it('a document card shows its KSeF number, acquisition date, references and history once accepted', async () => {
    // Prepare
    const created = await post(makeInvoiceXml({ number: 'FV/H/2' }));
    const id = (created.body as DocumentDetails).id;
    const stored = (await deps.documents.get(id))!;
    const sending = await deps.documents.update(moveToSending(stored, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: 'SO-1' }), 1);
    await deps.documents.update(recordAccepted(sending, { at: '2026-02-02T09:05:00.000Z', by, ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', invoiceReferenceNumber: 'EE-1' }), 2);
    // Act
    const card = (await getDocumentHttp(deps, id)).body as DocumentDetails;
    // Assess
    expect(card).toMatchObject({ status: 'Accepted', ksefNumber: KSEF, acquisitionDate: '2026-02-02T09:04:00.000Z', sessionReferenceNumber: 'SO-1', invoiceReferenceNumber: 'EE-1' });
    expect(card.history.map((h) => h.status)).toEqual(['Pending', 'Sending', 'Accepted']);
  });

  it('a rejected document shows the code, description and details', async () => {
    // Prepare
    const id = ((await post(makeInvoiceXml({ number: 'FV/H/3' }))).body as DocumentDetails).id;
    const sending = await deps.documents.update(moveToSending((await deps.documents.get(id))!, { at: 'x', by, sessionReferenceNumber: 'SO-1' }), 1);
    await deps.documents.update(recordRejected(sending, { at: 'y', by, rejection: { code: 450, description: 'Błąd semantyki', details: ['P_15'] } }), 2);
    // Act
    const card = (await getDocumentHttp(deps, id)).body as DocumentDetails;
    // Assess
    expect(card.rejection).toEqual({ code: 450, description: 'Błąd semantyki', details: ['P_15'] });
  });

  it('the XML downloads byte for byte as application/xml', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/H/4' });
    const id = ((await post(xml)).body as DocumentDetails).id;
    // Act
    const answer = await getDocumentXmlHttp(deps, id);
    // Assess
    expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="FV-H-4.xml"');
    expect(new TextDecoder().decode(answer.body as Uint8Array)).toBe(xml);
  });

  it('the UPO is a 404 until it is stored, then downloads', async () => {
    // Prepare
    const id = ((await post(makeInvoiceXml({ number: 'FV/H/5' }))).body as DocumentDetails).id;
    const before = await rejection<Error>(getDocumentUpoHttp(deps, id));
    const sending = await deps.documents.update(moveToSending((await deps.documents.get(id))!, { at: 'x', by, sessionReferenceNumber: 'SO-1' }), 1);
    const accepted = await deps.documents.update(recordAccepted(sending, { at: 'y', by, ksefNumber: KSEF, acquisitionDate: 'z' }), 2);
    const whileMissing = await rejection<Error>(getDocumentUpoHttp(deps, id));
    await deps.blobs.put(documentBlobKeys.invoiceUpo(KSEF), new TextEncoder().encode('<Potwierdzenie/>'));
    await deps.documents.update(attachUpo(accepted, documentBlobKeys.invoiceUpo(KSEF), 'w'), 3);
    // Act
    const answer = await getDocumentUpoHttp(deps, id);
    // Assess
    expect(before).toBeInstanceOf(DocumentNotFoundError);
    expect(before.message).toContain('while the document is Pending');
    expect(whileMissing.message).toContain('has not been downloaded yet');
    expect(new TextDecoder().decode(answer.body as Uint8Array)).toBe('<Potwierdzenie/>');
    expect(((await getDocumentHttp(deps, id)).body as DocumentDetails).upoPresent).toBe(true);
  });

  it('an unknown or malformed id is a 404, not a storage error', async () => {
    // Act
    const unknown = await rejection<Error>(getDocumentHttp(deps, 'doc-9999'));
    const malformed = await rejection<Error>(getDocumentXmlHttp(deps, '../../etc/passwd'));
    // Assess
    expect(unknown).toBeInstanceOf(DocumentNotFoundError);
    expect(unknown.message).toBe("No document 'doc-9999' exists.");
    expect(malformed).toBeInstanceOf(DocumentNotFoundError);
  });

  it('the list filters by status and date and links the next page with the same filters', async () => {
    // Prepare
    for (const [i, issueDate] of ['2026-02-01', '2026-02-02', '2026-02-03'].entries()) await post(makeInvoiceXml({ number: `FV/L/${i}`, issueDate }));
    // Act
    const first = await listDocumentsHttp(deps, { status: 'Pending', from: '2026-02-02', limit: '1' });
    const cursor = (first.body as { nextCursor: string }).nextCursor;
    const second = await listDocumentsHttp(deps, { status: 'Pending', from: '2026-02-02', limit: '1', cursor });
    // Assess
    expect((first.body as { items: DocumentSummary[] }).items.map((d) => d.invoiceNumber)).toEqual(['FV/L/1']);
    expect(first.headers.link).toBe(`</documents?status=Pending&from=2026-02-02&limit=1&cursor=${cursor}>; rel="next"`);
    expect((second.body as { items: DocumentSummary[]; nextCursor: string | null }).items.map((d) => d.invoiceNumber)).toEqual(['FV/L/2']);
    expect((second.body as { nextCursor: string | null }).nextCursor).toBeNull();
    expect(second.headers.link).toBeUndefined();
  });

  it('a bad list parameter is refused by name', async () => {
    // Act
    const errors = await Promise.all([
      rejection<Error>(listDocumentsHttp(deps, { status: 'Done' })),
      rejection<Error>(listDocumentsHttp(deps, { limit: 'ten' })),
      rejection<Error>(listDocumentsHttp(deps, { limit: '500' })),
      rejection<Error>(listDocumentsHttp(deps, { from: '02/02/2026' })),
      rejection<Error>(listDocumentsHttp(deps, { sort: 'desc' })),
      rejection<Error>(listLedgerHttp(deps, { status: 'Accepted' })),
    ]);
    // Assess
    expect(errors.every((e) => e instanceof ValidationError)).toBe(true);
    expect(errors.map((e) => (e as ValidationError).issues[0]?.field)).toEqual(['status', 'limit', 'limit', 'from', 'sort', 'status']);
  });

  it('incoming documents list, read and download by KSeF number', async () => {
    // Prepare
    const incoming = makeIncoming(KSEF);
    await deps.incoming.add(incoming);
    await deps.blobs.put(incoming.xmlKey, new TextEncoder().encode('<Faktura/>'));
    // Act
    const list = await listIncomingHttp(deps, {});
    const card = await getIncomingHttp(deps, KSEF);
    const xml = await getIncomingXmlHttp(deps, KSEF);
    const missing = await rejection<Error>(getIncomingHttp(deps, '5265877635-20260202-0100001AF629-00'));
    // Assess
    expect((list.body as { items: unknown[] }).items).toHaveLength(1);
    expect(card.body).toMatchObject({ ksefNumber: KSEF, fields: { sellerNip: '1111111111' } });
    expect(card.body).not.toHaveProperty('xmlKey');
    expect(new TextDecoder().decode(xml.body as Uint8Array)).toBe('<Faktura/>');
    expect(missing).toBeInstanceOf(DocumentNotFoundError);
  });

  it('the ledger lists its rows', async () => {
    // Prepare
    await deps.ledger.put(makeLedgerRow(KSEF));
    // Act
    const answer = await listLedgerHttp(deps, { limit: '5' });
    // Assess
    expect(answer.body).toEqual({ items: [makeLedgerRow(KSEF)], nextCursor: null });
  });
});
