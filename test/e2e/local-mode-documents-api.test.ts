import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { readLocalConfig, type LocalConfig } from '../../functions/wiring/local-config.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/wiring/local.js';
import { conformanceProblems } from '../api/openapi-conformance.js';
import { makeInvoiceXml } from '../helpers/fa3-invoice-factory.js';

/*
 * The documents and notifications routes as local mode wires them: the embedded DynamoDB, invoice
 * XML in files under DATA_DIR/documents, the company NIP from KSEF_NIP, through real HTTP, across
 * a restart on the same data.
 */

const TOKEN = 'e2e-docs-token-0123456789abcdef';
const COMPANY_NIP = '7010002139';

let dataDir: string;
let config: LocalConfig;
let runtime: LocalRuntime;

async function call(method: string, path: string, init: { body?: string; contentType?: string } = {}) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(init.contentType === undefined ? {} : { 'content-type': init.contentType }) },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  expect(conformanceProblems(method, path, { status: response.status, headers, text }), `${method} ${path} conforms`).toEqual([]);
  return { status: response.status, headers, text, body: headers['content-type']?.includes('json') ? (JSON.parse(text) as Record<string, any>) : undefined };
}

const start = () => startLocalRuntime(config, { clock: new ManualClock(new Date('2026-02-02T08:00:00.000Z')), timers: 'manual' });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kjq-e2e-docs-'));
  config = { ...readLocalConfig({ KSEF_NIP: COMPANY_NIP, DATA_DIR: dataDir, PORT: '0', API_TOKEN: TOKEN }), logLevel: 'ERROR' };
  runtime = await start();
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local mode serves documents and notifications', () => {
  it("takes invoices of the company named by KSEF_NIP only, keeps their XML under DATA_DIR/documents, and still has them after a restart", async () => {
    const xml = makeInvoiceXml({ number: 'FV/LOCAL/1', sellerNip: COMPANY_NIP });

    const created = await call('POST', '/documents', { body: xml, contentType: 'application/xml' });
    const foreign = await call('POST', '/documents', { body: makeInvoiceXml({ number: 'FV/LOCAL/2' }), contentType: 'application/xml' });
    const stored = await readdir(join(dataDir, 'documents', 'outgoing'));
    await runtime.close();
    runtime = await start();
    const afterRestart = await call('GET', `/documents/${created.body?.id}`);
    const download = await call('GET', `/documents/${created.body?.id}/xml`);
    const list = await call('GET', '/documents?status=Pending');

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'Pending', submittedBy: 'local-admin', key: { sellerNip: COMPANY_NIP, invoiceNumber: 'FV/LOCAL/1' } });
    expect(created.body?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(foreign.status).toBe(400);
    expect(foreign.body?.errors[0].field).toBe('Podmiot1/DaneIdentyfikacyjne/NIP');
    expect(stored).toHaveLength(1);
    expect(afterRestart.body).toEqual(created.body);
    expect(download.text).toBe(xml);
    expect(list.body?.items.map((doc: { id: string }) => doc.id)).toEqual([created.body?.id]);
  });

  it('manages global recipients in the embedded DynamoDB and reads the e-mail log', async () => {
    const put = await call('PUT', '/notifications/recipients/oncall@example.com', { body: '{"language":"en"}', contentType: 'application/json' });
    const recipients = await call('GET', '/notifications/recipients');
    const log = await call('GET', '/notifications/log');

    expect(put.status).toBe(201);
    expect(recipients.body?.items).toEqual([put.body]);
    expect(await runtime.notifications.getRecipient('OnCall@example.com')).toEqual(put.body);
    expect(log.body).toEqual({ items: [], nextCursor: null });
  });

  it('has nothing received or in the ledger before the queues have run', async () => {
    const incoming = await call('GET', '/incoming-documents');
    const ledger = await call('GET', '/ledger');
    const upo = await call('GET', `/documents/${(await call('GET', '/documents')).body?.items[0].id}/upo`);

    expect(incoming.body).toEqual({ items: [], nextCursor: null });
    expect(ledger.body).toEqual({ items: [], nextCursor: null });
    expect(upo.status).toBe(404);
  });
});

describe('the local configuration of the company NIP', () => {
  it('falls back to a valid test NIP, and refuses an invalid one by name', () => {
    const defaulted = readLocalConfig({});

    expect(defaulted).toMatchObject({ companyNip: '5265877635', companyNipDefaulted: true });
    expect(readLocalConfig({ KSEF_NIP: ' 7010002139 ' })).toMatchObject({ companyNip: '7010002139', companyNipDefaulted: false });
    expect(() => readLocalConfig({ KSEF_NIP: '1234567890' })).toThrow("KSEF_NIP '1234567890' has a wrong check digit");
    expect(() => readLocalConfig({ KSEF_NIP: 'PL5265877635' })).toThrow('must be 10 digits');
  });
});
