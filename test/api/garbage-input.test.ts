import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryNotificationStore } from '../../functions/adapters/memory/memory-notification-store.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { API_ROUTES } from '../../functions/api/create-api-handler.js';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { createApiTestClient, type ApiRequestOptions, type ApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps } from '../helpers/document-deps.js';
import { makeIncoming } from '../helpers/document-factory.js';
import { makeInvoiceXml, SELLER_NIP } from '../helpers/fa3-invoice-factory.js';

/*
 * Garbage at every route: whatever a client sends, the answer is a 4xx problem+json naming what is
 * wrong, never a 500. The entries exist, so that the garbage gets past the 404s to the parsers.
 */

interface GarbageCase {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly options?: ApiRequestOptions;
}

const HUGE = 'x'.repeat(300_000);
const DEEP = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;

const BODY_ROUTES = [
  { method: 'PATCH', url: '/queues/send-documents', headers: { 'if-match': '*' } },
  { method: 'POST', url: '/queues/send-documents/status', headers: {} },
  { method: 'PUT', url: '/notifications/recipients/oncall@example.com', headers: {} },
] as const;

/** Stored before the garbage arrives, so that the garbage gets past the 404s. */
const KSEF = '5265877635-20260202-0100001AF629-AF';
const VALID_INVOICE = makeInvoiceXml({ number: 'FV/GARBAGE/1' });
const XML = { 'content-type': 'application/xml' } as const;
const NESTED = `<?xml version="1.0"?>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;

const BAD_INVOICES: ReadonlyArray<readonly [string, ApiRequestOptions]> = [
  ['an empty body', { body: '', headers: XML }],
  ['no body at all', { headers: XML }],
  ['plain text', { body: 'this is an invoice, honestly', headers: XML }],
  ['JSON', { body: { invoice: VALID_INVOICE } }],
  ['the invoice sent as JSON', { body: VALID_INVOICE, headers: { 'content-type': 'application/json' } }],
  ['a form', { body: 'xml=<Faktura/>', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ['no content type', { body: VALID_INVOICE, headers: {} }],
  ['a look-alike content type', { body: VALID_INVOICE, headers: { 'content-type': 'application/xmlx' } }],
  ['a charset other than UTF-8', { body: VALID_INVOICE, headers: { 'content-type': 'application/xml; charset=windows-1250' } }],
  ['XML of another schema', { body: '<?xml version="1.0"?><Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3"/>', headers: XML }],
  ['an invoice cut in half', { body: VALID_INVOICE.slice(0, VALID_INVOICE.length / 2), headers: XML }],
  ['a billion laughs', { body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Faktura>&lol3;</Faktura>`, headers: XML }],
  ['an external entity', { body: VALID_INVOICE.replace('<Faktura', '<!DOCTYPE Faktura [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Faktura').replace('Elektrownia S.A.', '&xxe;'), headers: XML }],
  ['deeply nested elements', { body: NESTED, headers: XML }],
  ['binary garbage in base64', { body: Buffer.from([0xff, 0xfe, 0x00, 0x3c, 0x00, 0x61, 0x80, 0x81]).toString('base64'), isBase64Encoded: true, headers: XML }],
  ['the invoice in UTF-16', { body: Buffer.from(`\ufeff${VALID_INVOICE}`, 'utf16le').toString('base64'), isBase64Encoded: true, headers: XML }],
  ['base64 that is not base64', { body: '!!!not base64!!!', isBase64Encoded: true, headers: XML }],
  ['a body over the size limit', { body: `<a>${HUGE.repeat(11)}</a>`, headers: XML }],
  ['an invoice of another seller', { body: makeInvoiceXml({ number: 'FV/GARBAGE/2', sellerNip: '1111111111' }), headers: XML }],
  ['the same number with other content', { body: makeInvoiceXml({ number: 'FV/GARBAGE/1', amounts: { net: '1.00', vat: '0.23', gross: '1.23' } }), headers: XML }],
];

function invoiceCases(): GarbageCase[] {
  return BAD_INVOICES.map(([name, options]) => ({ name: `POST /documents with ${name}`, method: 'POST', url: '/documents', options }));
}

const BAD_BODIES: ReadonlyArray<readonly [string, ApiRequestOptions]> = [
  ['invalid JSON', { body: '{"description":', headers: { 'content-type': 'application/json' } }],
  ['an empty body', { body: '', headers: { 'content-type': 'application/json' } }],
  ['no body at all', { headers: { 'content-type': 'application/json' } }],
  ['a JSON array', { body: '[]', headers: { 'content-type': 'application/json' } }],
  ['a JSON string', { body: '"Ready"', headers: { 'content-type': 'application/json' } }],
  ['JSON null', { body: 'null', headers: { 'content-type': 'application/json' } }],
  ['a JSON number', { body: '42', headers: { 'content-type': 'application/json' } }],
  ['deeply nested arrays', { body: DEEP, headers: { 'content-type': 'application/json' } }],
  ['a huge JSON string', { body: JSON.stringify(HUGE), headers: { 'content-type': 'application/json' } }],
  ['plain text', { body: 'status=Ready', headers: { 'content-type': 'text/plain' } }],
  ['a form', { body: 'status=Ready', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ['no content type', { body: '{"status":"Ready"}', headers: {} }],
  ['a look-alike content type', { body: '{"status":"Ready"}', headers: { 'content-type': 'application/jsonp' } }],
  ['base64 that is not JSON', { body: Buffer.from('\u0000\u00ff garbage').toString('base64'), isBase64Encoded: true, headers: { 'content-type': 'application/json' } }],
  ['unknown fields', { body: { colour: 'red', status: 'Ready', description: 'x' } }],
  ['a __proto__ field', { body: '{"__proto__":{"polluted":true},"status":"Ready"}', headers: { 'content-type': 'application/json' } }],
  ['a constructor field', { body: { constructor: { prototype: { polluted: true } } } }],
  ['wrong types', { body: { status: 5, maxAttempts: '3', recurrence: [], autoRestart: 'yes', description: 12 } }],
  ['nested wrong types', { body: { status: ['Ready'], recurrence: { runOnWeekdays: 'mon', minutesBetweenRuns: 1.5 }, notificationRecipients: [{ email: 1 }] } }],
  ['a huge description', { body: { description: HUGE, status: 'Ready ' + HUGE } }],
  ['status values of the run protocol', { body: { status: 'InProcess' } }],
  ['lower-case status', { body: { status: 'ready' } }],
  ['impossible dates', { body: { earliestStartAt: '2026-02-30T00:00:00Z', expiresAt: 'tomorrow', status: null } }],
  ['numbers out of range', { body: { maxAttempts: 1e308, jobTimeoutSeconds: -1, rerunDelaySeconds: Number.MAX_SAFE_INTEGER + 2, status: {} } }],
];

function bodyCases(): GarbageCase[] {
  return BODY_ROUTES.flatMap((route) =>
    BAD_BODIES.map(([name, options]) => ({
      name: `${route.method} ${route.url} with ${name}`,
      method: route.method,
      url: route.url,
      options: { ...options, headers: { ...route.headers, ...options.headers } },
    })),
  );
}

const EVERY_ROUTE = [
  ['GET', '/queues'],
  ['POST', '/queues/send-documents'],
  ['GET', '/queues/send-documents'],
  ['PATCH', '/queues/send-documents'],
  ['DELETE', '/queues/process-upo'],
  ['POST', '/queues/send-documents/status'],
  ['POST', '/queues/send-documents/run'],
  ['GET', '/queues/send-documents/runs'],
  ['GET', '/queues/send-documents/runs/20260302T080000000Z-00000000'],
  ['GET', '/notifications/recipients'],
  ['PUT', '/notifications/recipients/oncall@example.com'],
  ['DELETE', '/notifications/recipients/oncall@example.com'],
  ['GET', '/notifications/log'],
  ['POST', '/documents'],
  ['GET', '/documents'],
  ['GET', '/documents/doc-0001'],
  ['GET', '/documents/doc-0001/xml'],
  ['GET', '/documents/doc-0001/upo'],
  ['GET', '/incoming-documents'],
  ['GET', `/incoming-documents/${KSEF}`],
  ['GET', `/incoming-documents/${KSEF}/xml`],
  ['GET', '/ledger'],
  ['GET', '/openapi.json'],
] as const;

/** The listings that page with limit and cursor. */
const PAGED = ['/queues/send-documents/runs', '/notifications/log', '/documents', '/incoming-documents', '/ledger'] as const;
const DATED = ['/documents', '/incoming-documents', '/ledger'] as const;

function queryCases(): GarbageCase[] {
  const unknownParameters = EVERY_ROUTE.map(([method, url]) => ({ name: `${method} ${url} with an unknown query parameter`, method, url: `${url}?colour=red` }));
  const limits = ['0', '-1', '101', 'abc', '1.5', '1e2', '', ' 5', HUGE.slice(0, 5_000), '5&limit=6'];
  const cursors = ['garbage', '%00', HUGE.slice(0, 10_000), 'eyJ9', Buffer.from('{"pk":"x"}').toString('base64url')];
  const dates = ['2026-02-30', '02/02/2026', '2026-2-2', 'today', '2026-02-02T00:00:00Z', '99999-01-01', HUGE.slice(0, 5_000)];
  const statuses = ['Done', 'pending', 'Pending,Sent', 'Received', HUGE.slice(0, 5_000)];
  return [
    ...unknownParameters,
    ...PAGED.flatMap((path) => [
      ...limits.map((limit) => ({ name: `${path} with limit '${limit.slice(0, 20)}'`, method: 'GET', url: `${path}?limit=${encodeURIComponent(limit).replace('%26', '&')}` })),
      ...cursors.map((cursor) => ({ name: `${path} with cursor '${cursor.slice(0, 20)}'`, method: 'GET', url: `${path}?cursor=${encodeURIComponent(cursor)}` })),
    ]),
    ...DATED.flatMap((path) =>
      dates.flatMap((date) => [
        { name: `${path} from '${date.slice(0, 20)}'`, method: 'GET', url: `${path}?from=${encodeURIComponent(date)}` },
        { name: `${path} to '${date.slice(0, 20)}'`, method: 'GET', url: `${path}?to=${encodeURIComponent(date)}` },
      ]),
    ),
    { name: '/documents from after to', method: 'GET', url: '/documents?from=2026-02-03&to=2026-02-01' },
    ...statuses.map((status) => ({ name: `/documents with status '${status.slice(0, 20)}'`, method: 'GET', url: `/documents?status=${encodeURIComponent(status)}` })),
    { name: '/ledger with a status', method: 'GET', url: '/ledger?status=Accepted' },
    // A cursor of one listing is no cursor of another.
    { name: '/ledger with a documents cursor', method: 'GET', url: `/ledger?cursor=${Buffer.from(JSON.stringify({ s: 'documents', k: '2026-02-02#doc-0001' })).toString('base64url')}` },
  ].filter((c) => !(c.url.endsWith('limit=') && c.name.includes("limit ''")) && !(c.url.endsWith('from=') || c.url.endsWith('to=')));
}

function headerCases(): GarbageCase[] {
  const ifMatches = ['garbage', '"abc"', 'W/"1"', '""', '"1', `"${HUGE.slice(0, 8_000)}"`, '"-1"', '"1.0"', '"99999999999999999999999"'];
  return ifMatches.flatMap((ifMatch) => [
    { name: `PATCH with If-Match ${ifMatch.slice(0, 20)}`, method: 'PATCH', url: '/queues/send-documents', options: { headers: { 'if-match': ifMatch }, body: { maxAttempts: 4 } } },
    { name: `DELETE with If-Match ${ifMatch.slice(0, 20)}`, method: 'DELETE', url: '/queues/send-documents', options: { headers: { 'if-match': ifMatch } } },
    { name: `status with If-Match ${ifMatch.slice(0, 20)}`, method: 'POST', url: '/queues/send-documents/status', options: { headers: { 'if-match': ifMatch }, body: { status: 'Ready' } } },
  ]);
}

function pathCases(): GarbageCase[] {
  const codeUnits = [HUGE.slice(0, 20_000), '%ZZ', '..%2F..%2Fetc', 'SEND-DOCUMENTS', 'send-documents%00', '%F0%9F%92%A5', '__proto__', 'constructor', 'toString'];
  const perCodeUnit = codeUnits.flatMap((codeUnit) =>
    EVERY_ROUTE.filter(([, url]) => url.includes('send-documents')).map(([method, url]) => ({
      name: `${method} ${url} with code unit ${codeUnit.slice(0, 20)}`,
      method,
      url: url.replace('send-documents', codeUnit),
      options: method === 'PATCH' ? { headers: { 'if-match': '*' }, body: { maxAttempts: 4 } } : method === 'POST' && url.endsWith('status') ? { body: { status: 'Ready' } } : {},
    })),
  );
  const runIds = ['%ZZ', HUGE.slice(0, 20_000), 'nope', '__proto__', '..'];
  const perRunId = runIds.map((runId) => ({ name: `run ${runId.slice(0, 20)}`, method: 'GET', url: `/queues/send-documents/runs/${runId}` }));
  const ids = [HUGE.slice(0, 20_000), '%ZZ', '..%2F..%2Fetc%2Fpasswd', '__proto__', 'constructor', 'doc 0001', 'doc-0001%00', '%F0%9F%92%A5'];
  const perDocument = ids.flatMap((id) =>
    ['', '/xml', '/upo'].map((suffix) => ({ name: `document ${id.slice(0, 20)}${suffix}`, method: 'GET', url: `/documents/${id}${suffix}` })),
  );
  const ksefNumbers = [...ids, KSEF.toLowerCase(), `${KSEF}0`, '5265877635-20260202-0100001AF629-00'];
  const perKsefNumber = ksefNumbers.flatMap((ksefNumber) =>
    ['', '/xml'].map((suffix) => ({ name: `incoming document ${ksefNumber.slice(0, 20)}${suffix}`, method: 'GET', url: `/incoming-documents/${ksefNumber}${suffix}` })),
  );
  const emails = [HUGE.slice(0, 20_000), '%ZZ', 'no-at-sign', '@example.com', 'a@', 'a@b', 'a b@example.com', '__proto__', '%00@example.com', `${'a'.repeat(250)}@example.com`];
  const perEmail = emails.flatMap((email) => [
    { name: `PUT recipient ${email.slice(0, 20)}`, method: 'PUT', url: `/notifications/recipients/${email}`, options: { body: { language: 'pl' } } },
    { name: `DELETE recipient ${email.slice(0, 20)}`, method: 'DELETE', url: `/notifications/recipients/${email}` },
  ]);
  const unknownPaths = [
    '/',
    '/queues/send-documents/runs/x/y',
    '/queue',
    '/QUEUES',
    '/queues//run',
    '/openapi.yaml',
    `/${HUGE.slice(0, 10_000)}`,
    '/documents/doc-0001/pdf',
    '/documents//xml',
    '/notifications',
    '/notifications/recipients/a@example.com/x',
    '/ledger/x',
    '/incoming-documents/x/y/z',
  ];
  return [
    ...perCodeUnit,
    ...perRunId,
    ...perDocument,
    ...perKsefNumber,
    ...perEmail,
    ...unknownPaths.map((url) => ({ name: `unknown path ${url.slice(0, 20)}`, method: 'GET', url })),
  ];
}

/** The methods the API serves at `url`. */
function servedMethods(url: string): string[] {
  return API_ROUTES.filter((route) => new RegExp(`^${route.path.replace(/\./g, '\\.').replace(/\{[^/]+\}/g, '[^/]+')}$`).test(url)).map((route) => route.method);
}

function methodCases(): GarbageCase[] {
  const urls = [...new Set(EVERY_ROUTE.map(([, url]) => url))];
  return urls.flatMap((url) =>
    ['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'get'].filter((method) => !servedMethods(url).includes(method)).map((method) => ({ name: `${method} ${url}`, method, url })),
  );
}

const validator = new XmllintXsdValidator();
afterAll(() => validator.close());

async function preparedApi(): Promise<ApiTestClient> {
  const documents = { ...makeDocumentDeps(validator), companyNip: SELLER_NIP };
  const api = createApiTestClient({ notifications: new MemoryNotificationStore(), documents });
  for (const codeUnit of CODE_UNIT_IDS) await api.request('POST', `/queues/${codeUnit}`);
  await api.request('PUT', '/notifications/recipients/oncall@example.com', { body: { language: 'pl' } });
  expect((await api.request('POST', '/documents', { body: VALID_INVOICE, headers: XML })).status).toBe(201);
  const incoming = makeIncoming(KSEF);
  await documents.incoming.add(incoming);
  await documents.blobs.put(incoming.xmlKey, Buffer.from('<Faktura/>'));
  return api;
}

function expectClientProblem(response: { status: number; headers: Readonly<Record<string, string>>; body: { status: number; type: string } }): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.body.status).toBe(response.status);
  expect(response.body.type).toMatch(/^https:\/\/ksef-job-queues\.dev\/problems\/[a-z-]+$/);
}

describe('garbage sent to the management API', () => {
  const cases = [...bodyCases(), ...invoiceCases(), ...queryCases(), ...headerCases(), ...pathCases(), ...methodCases()];

  // One API for all cases: garbage must not change anything, and a case that did would fail on its own.
  let api: ApiTestClient;
  beforeAll(async () => {
    api = await preparedApi();
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s is a 4xx problem, never a 500', async (_name, garbage) => {
    const response = await api.request(garbage.method, garbage.url, garbage.options);

    expectClientProblem(response);
  });

  test('a bad body names the field body', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: '[1,2]', headers: { 'content-type': 'application/json' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', reason: 'must be a JSON object, not an array' }]);
  });

  test('a wrong content type is a 400 naming the body, not a 415', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: '{"status":"Ready"}', headers: { 'content-type': 'text/plain' } });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('body');
  });

  test('an unknown field of a status change is named', async () => {
    const response = await api.request('POST', '/queues/send-documents/status', { body: { status: 'Ready', force: true } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'force', reason: 'is not a known field' }]);
  });

  test('a wrong method is a 405 that lists the allowed ones', async () => {
    const response = await api.request('PUT', '/queues/send-documents');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST, GET, PATCH, DELETE');
  });

  test('a bad limit names the limit', async () => {
    const response = await api.request('GET', '/queues/send-documents/runs?limit=1000');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 100' }]);
  });

  test('garbage changed nothing: one recipient, one document, still the valid invoice', async () => {
    const recipients = await api.request('GET', '/notifications/recipients');
    const documents = await api.request('GET', '/documents');
    const xml = await api.request('GET', '/documents/doc-0001/xml');

    expect(recipients.body.items.map((r: { email: string; language: string }) => [r.email, r.language])).toEqual([['oncall@example.com', 'pl']]);
    expect(documents.body.items.map((d: { id: string }) => d.id)).toEqual(['doc-0001']);
    expect(xml.text).toBe(VALID_INVOICE);
  });

  test('an invoice with a DOCTYPE is refused before any entity is expanded or read', async () => {
    const response = await api.request('POST', '/documents', { body: BAD_INVOICES.find(([name]) => name === 'an external entity')![1].body, headers: XML });

    expect(response.status).toBe(400);
    expect(response.body.schemaErrors).toEqual([{ line: 2, element: null, message: 'A DOCTYPE is not allowed in an invoice.' }]);
    expect(response.text).not.toContain('root:');
  });

  test('a huge input is not echoed back in full', async () => {
    const response = await api.request('GET', `/queues/${HUGE.slice(0, 50_000)}`);

    expect(response.status).toBe(404);
    expect(response.text.length).toBeLessThan(2_000);
  });
});
