import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDocumentRepository } from '../../functions/adapters/aws/dynamo-document-repository.js';
import { ensureTable, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/adapters/local/embedded-dynamodb.js';
import { FileDocumentStore } from '../../functions/adapters/local/file-document-store.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import {
  ConflictError,
  PayloadTooLargeError,
  SchemaValidationError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../functions/domain/errors.js';
import { submitDocument, type SubmitDocumentInput } from '../../functions/use-cases/submit-document.js';
import { makeDocumentDeps, type TestDocumentDeps } from '../helpers/document-deps.js';
import { makeInvalidInvoiceXmls, makeInvoiceBatch, makeInvoiceXml, makeNip, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';
import { rejection } from '../helpers/rejection.js';

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

const submission = (xml: string | Uint8Array, overrides: Partial<SubmitDocumentInput> = {}): SubmitDocumentInput => ({
  xml,
  contentType: 'application/xml',
  companyNip: SELLER_NIP,
  actor: 'admin@example.com',
  ...overrides,
});

describe('submitting an outgoing invoice', () => {
  let deps: TestDocumentDeps;

  beforeEach(() => {
    deps = makeDocumentDeps(validator);
  });

  it('a valid invoice is stored as Pending with its key fields, hash and XML, and reported as created', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/1/2026', issueDate: '2026-02-02' });
    // Act
    const { document, created } = await submitDocument(deps, submission(xml));
    // Assess
    expect(created).toBe(true);
    expect(document).toMatchObject({
      id: 'doc-0001',
      status: 'Pending',
      key: { sellerNip: SELLER_NIP, invoiceType: 'VAT', invoiceNumber: 'FV/1/2026' },
      fields: { issueDate: '2026-02-02', grossAmount: '53.63', currency: 'PLN', buyer: { type: 'Nip', value: '1111111111' } },
      contentSha256: createHash('sha256').update(xml).digest('base64'),
      sizeBytes: Buffer.byteLength(xml),
      submittedBy: 'admin@example.com',
      createdAt: '2026-02-02T08:00:00.000Z',
      version: 1,
    });
    expect(document.history).toEqual([{ status: 'Pending', at: '2026-02-02T08:00:00.000Z', by: 'admin@example.com', event: { kind: 'submitted' }, note: 'submitted' }]);
    expect(new TextDecoder().decode(await deps.blobs.get(document.xmlKey))).toBe(xml);
    expect(await deps.documents.get(document.id)).toEqual(document);
  });

  it('XML that is not well-formed is refused with its line and nothing is stored', async () => {
    // Prepare
    const [notWellFormed] = makeInvalidInvoiceXmls();
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(notWellFormed!.xml)));
    // Assess
    expect(error).toBeInstanceOf(SchemaValidationError);
    const issues = (error as SchemaValidationError).schemaErrors;
    expect(issues).toHaveLength(1);
    expect(issues[0]?.line).toBeGreaterThan(1);
    expect(issues[0]?.message).toMatch(/not well-formed/);
    expect(deps.blobs.size).toBe(0);
  });

  it('an invoice with several schema errors gets every one of them, with line, element and message', async () => {
    // Prepare
    const threeErrors = makeInvalidInvoiceXmls()[1]!.xml;
    const lineOf = (tag: string) => threeErrors.split('\n').findIndex((l) => l.includes(tag)) + 1;
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(threeErrors)));
    // Assess
    expect(error).toBeInstanceOf(SchemaValidationError);
    const issues = (error as SchemaValidationError).schemaErrors;
    expect(issues.map((i) => [i.line, i.element])).toEqual([
      [lineOf('<P_1>'), 'P_1'],
      [lineOf('<P_15>'), 'P_15'],
      [lineOf('<RodzajFaktury>'), 'RodzajFaktury'],
    ]);
    expect(issues[1]?.message).toBe("Element 'P_15': 'abc' is not a valid value of the atomic type 'TKwotowy'.");
    expect((error as SchemaValidationError).issues.map((i) => i.field)).toEqual(['P_1', 'P_15', 'RodzajFaktury']);
    expect(deps.blobs.size).toBe(0);
    expect((await deps.documents.list({ limit: 10 })).items).toEqual([]);
  });

  it('an invoice missing a required element is refused naming the element that was expected', async () => {
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(makeInvalidInvoiceXmls()[2]!.xml)));
    // Assess
    expect((error as SchemaValidationError).schemaErrors[0]?.message).toContain("Expected is ( P_2 )");
  });

  it('an invoice of another seller is refused naming the seller NIP field', async () => {
    // Prepare
    const otherSeller = makeNip(77);
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(makeInvoiceXml({ sellerNip: otherSeller }))));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'Podmiot1/DaneIdentyfikacyjne/NIP', reason: `is ${otherSeller}, but this system sends invoices of the company ${SELLER_NIP} only` },
    ]);
    expect(deps.blobs.size).toBe(0);
  });

  it('a seller NIP with a wrong check digit is refused as such, even when it is the configured one', async () => {
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(makeInvoiceXml({ sellerNip: '5265877636' }), { companyNip: '5265877636' })));
    // Assess
    expect((error as ValidationError).issues[0]).toEqual({ field: 'Podmiot1/DaneIdentyfikacyjne/NIP', reason: "'5265877636' has a wrong check digit" });
  });

  it('the same invoice submitted again returns the existing document, not a second one', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/2/2026' });
    const first = await submitDocument(deps, submission(xml));
    deps.clock.advance(60_000);
    // Act
    const again = await submitDocument(deps, submission(Buffer.from(xml), { actor: 'someone-else' }));
    // Assess
    expect(again).toEqual({ document: first.document, created: false });
    expect((await deps.documents.list({ limit: 10 })).items).toHaveLength(1);
  });

  it('the same seller, type and number with different content is a conflict and the first stays', async () => {
    // Prepare
    const first = await submitDocument(deps, submission(makeInvoiceXml({ number: 'FV/3/2026' })));
    const changed = makeInvoiceXml({ number: 'FV/3/2026', amounts: { net: '100.00', vat: '23.00', gross: '123.00' } });
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(changed)));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain("'FV/3/2026'");
    expect((error as ConflictError).existing).toEqual(first.document);
    expect(await deps.documents.findByKey(first.document.key)).toEqual(first.document);
  });

  it('the same number as a correcting invoice is a different document', async () => {
    // Prepare
    await submitDocument(deps, submission(makeInvoiceXml({ number: 'FV/4/2026' })));
    // Act
    const kor = await submitDocument(deps, submission(makeInvoiceXml({ number: 'FV/4/2026', corrects: { invoiceNumber: 'FV/1/2026', issueDate: '2026-02-01' } })));
    // Assess
    expect(kor.created).toBe(true);
    expect(kor.document.fields.corrects).toEqual([{ invoiceNumber: 'FV/1/2026', issueDate: '2026-02-01', ksefNumber: null, outsideKsef: true }]);
  });

  it('ten concurrent submissions of one invoice make one document and all answer with it', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/5/2026' });
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => submitDocument(deps, submission(xml))));
    // Assess
    expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await deps.documents.list({ limit: 100 })).items).toHaveLength(1);
    expect(deps.blobs.size).toBe(1);
  });

  it('fifty distinct valid invoices from the factory are all accepted, and its three invalid ones all refused', async () => {
    // Prepare
    const valid = makeInvoiceBatch(50, { prefix: 'FV/E2E' });
    const invalid = makeInvalidInvoiceXmls();
    // Act
    const accepted = await Promise.all(valid.map((xml) => submitDocument(deps, submission(xml))));
    const refused = await Promise.all(invalid.map(({ xml }) => rejection<Error>(submitDocument(deps, submission(xml)))));
    // Assess
    expect(accepted.every((r) => r.created)).toBe(true);
    expect(new Set(accepted.map((r) => r.document.contentSha256)).size).toBe(50);
    expect(refused.every((e) => e instanceof SchemaValidationError)).toBe(true);
    expect(refused.map((e) => (e as SchemaValidationError).schemaErrors.length)).toEqual(invalid.map((i) => i.errorCount));
  });

  it('a body that is not XML by its media type, empty, or too large is refused before validation', async () => {
    // Act
    const json = await rejection<Error>(submitDocument(deps, submission(makeInvoiceXml(), { contentType: 'application/json' })));
    const latin2 = await rejection<Error>(submitDocument(deps, submission(makeInvoiceXml(), { contentType: 'text/xml; charset=iso-8859-2' })));
    const empty = await rejection<Error>(submitDocument(deps, submission('')));
    const huge = await rejection<Error>(submitDocument(deps, submission(Buffer.alloc(3_000_001, 0x20))));
    // Assess
    expect(json).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((json as ValidationError).issues[0]?.field).toBe('Content-Type');
    expect(latin2).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((empty as ValidationError).issues[0]?.field).toBe('body');
    expect(huge).toBeInstanceOf(PayloadTooLargeError);
  });

  it('a text/xml body with a UTF-8 byte-order mark is accepted and stored without the mark', async () => {
    // Prepare
    const xml = makeInvoiceXml({ number: 'FV/BOM/1' });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
    // Act
    const { document } = await submitDocument(deps, submission(withBom, { contentType: 'text/xml; charset=UTF-8' }));
    // Assess
    expect(document.contentSha256).toBe(createHash('sha256').update(xml).digest('base64'));
  });

  it('bytes that are not UTF-8 are refused as such', async () => {
    // Prepare
    const [head, tail] = makeInvoiceXml().split('Elektrownia S.A.');
    // "Ł" as ISO-8859-2 (0xA3): a lone continuation byte in UTF-8.
    const xml = Buffer.concat([Buffer.from(`${head}Elektrownia `), Buffer.from([0xa3]), Buffer.from(tail!)]);
    // Act
    const error = await rejection<Error>(submitDocument(deps, submission(xml)));
    // Assess
    expect((error as SchemaValidationError).schemaErrors[0]?.message).toBe('The document is not valid UTF-8 text.');
  });
});

describe('submitting on the embedded DynamoDB and the file store', () => {
  let server: EmbeddedDynamo;
  let dir: string;

  beforeAll(async () => {
    server = await startEmbeddedDynamo();
    dir = await mkdtemp(path.join(tmpdir(), 'ksef-submit-'));
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ten concurrent submissions of one invoice make one document there too', async () => {
    // Prepare
    const client = server.createClient();
    await ensureTable(client, 'submit-concurrency');
    const deps = makeDocumentDeps(validator, {
      documents: new DynamoDocumentRepository(client, 'submit-concurrency'),
      blobs: new FileDocumentStore(dir),
      newDocumentId: (() => {
        let n = 0;
        return () => `dyn-${++n}`;
      })(),
    });
    const xml = makeInvoiceXml({ number: 'FV/DYN/1' });
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => submitDocument(deps, submission(xml))));
    // Assess
    expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const page = await deps.documents.list({ limit: 100 });
    expect(page.items.map((d) => d.id)).toEqual([results[0]!.document.id]);
    expect(new TextDecoder().decode(await deps.blobs.get(results[0]!.document.xmlKey))).toBe(xml);
  });
});
