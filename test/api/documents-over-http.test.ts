import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalApiServer, type RunningLocalApiServer } from '../../functions/adapters/local/http-server.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { MAX_INVOICE_BYTES } from '../../functions/use-cases/submit-document.js';
import { createApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps } from '../helpers/document-deps.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';
import { conformanceProblems } from './openapi-conformance.js';

/*
 * Invoices through the local HTTP server, as local mode serves them: the XML reaches the use case
 * byte for byte (never decoded as text on the way), and the server's body limit leaves room for
 * the largest invoice KSeF takes.
 */

const TOKEN = 'local-test-token-0123456789abcdef';
const validator = new XmllintXsdValidator();

/** A valid invoice of about `lines` × 330 bytes: the template with that many invoice lines. */
function largeInvoice(lines: number): string {
  const line = (n: number) =>
    `<FaWiersz><NrWierszaFa>${n}</NrWierszaFa><P_7>Usługa serwisowa nr ${n}: przegląd, konserwacja i naprawa urządzeń chłodniczych w obiekcie zamawiającego</P_7><P_8A>szt.</P_8A><P_8B>1.00</P_8B><P_9A>0.01</P_9A><P_11>0.01</P_11><P_12>23</P_12></FaWiersz>\n`;
  const rows = Array.from({ length: lines }, (_, i) => line(i + 1)).join('');
  return makeInvoiceXml({ number: 'FV/HTTP/LARGE' }).replace(/<FaWiersz>[\s\S]*<\/FaWiersz>/, rows.trimEnd());
}

describe('documents through the local HTTP server', () => {
  let running: RunningLocalApiServer;
  const documents = { ...makeDocumentDeps(validator), companyNip: SELLER_NIP };
  const api = createApiTestClient({ localActor: 'local-admin', documents });

  beforeAll(async () => {
    running = await startLocalApiServer({ handler: api.handler, token: TOKEN, port: 0 });
  });

  afterAll(async () => {
    await running.close();
    await validator.close();
  });

  async function call(method: string, path: string, body?: Buffer | string, contentType = 'application/xml') {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]) }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const text = bytes.toString('utf8');
    expect(conformanceProblems(method, path, { status: response.status, headers, text }), `${method} ${path} conforms`).toEqual([]);
    return { status: response.status, headers, bytes, body: (headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : undefined };
  }

  test('an invoice with Polish characters comes back byte for byte', async () => {
    // Prepare
    const sent = Buffer.from(makeInvoiceXml({ number: 'FV/HTTP/1', sellerName: 'Spółdzielnia „Źdźbło” – Łódź' }), 'utf8');

    // Act
    const created = await call('POST', '/documents', sent);
    const download = await call('GET', `/documents/${created.body.id}/xml`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.submittedBy).toBe('local-admin');
    expect(created.body.fields.sellerName).toBe('Spółdzielnia „Źdźbło” – Łódź');
    expect(download.bytes.equals(sent)).toBe(true);
  });

  test('a body that is not UTF-8 is refused, not silently repaired', async () => {
    // Prepare: "Łódź" in ISO-8859-2, in an otherwise valid invoice.
    const utf8 = makeInvoiceXml({ number: 'FV/HTTP/2', sellerName: 'LODZ-NAME' });
    const [before, after] = utf8.split('LODZ-NAME') as [string, string];
    const latin2 = Buffer.concat([Buffer.from(before), Buffer.from([0xa3, 0xf3, 0x64, 0xbc]), Buffer.from(after)]);

    // Act
    const response = await call('POST', '/documents', latin2);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.schemaErrors).toEqual([{ line: null, element: null, message: 'The document is not valid UTF-8 text.' }]);
  });

  test('an invoice larger than the old 1 MiB limit is accepted', async () => {
    // Prepare
    const xml = largeInvoice(6_000);

    // Act
    const created = await call('POST', '/documents', xml);

    // Assess
    expect(Buffer.byteLength(xml)).toBeGreaterThan(1.4 * 1024 * 1024);
    expect(created.status).toBe(201);
    expect(created.body.sizeBytes).toBe(Buffer.byteLength(xml));
  });

  test("a body over KSeF's invoice limit reaches the API, which names the limit; one over the server's limit is stopped at the door", async () => {
    // Act
    const overKsef = await call('POST', '/documents', `<a>${'x'.repeat(MAX_INVOICE_BYTES)}</a>`);
    const overServer = await call('POST', '/documents', `<a>${'x'.repeat(5 * 1024 * 1024)}</a>`);

    // Assess
    expect(overKsef.status).toBe(413);
    expect(overKsef.body.errors[0].reason).toContain(`more than the limit of ${MAX_INVOICE_BYTES} bytes`);
    expect(overServer.status).toBe(413);
    expect(overServer.body.detail).toBe(`The body exceeds ${4 * 1024 * 1024} bytes.`);
  });
});
