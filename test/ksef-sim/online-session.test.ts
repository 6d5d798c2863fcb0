import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidKsefNumber } from '../../functions/domain/ksef-number.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { openApiErrors } from './helpers/openapi-validator.js';
import { call, loginWithToken, openOnline, sendBody } from './helpers/sim-client.js';

const NIP = '5265877635';
const template = readFileSync(new URL('../fixtures/ksef/invoice-template-fa-3.xml', import.meta.url), 'utf8');
const invoice = (n: string, day = '2026-03-02') => template.replace('#nip#', NIP).replace('#invoice_number#', n).replace(/<P_1>[^<]*<\/P_1>/, `<P_1>${day}</P_1>`);

describe('KSeF simulator: token login and an online session', () => {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;
  let accessToken: string;

  beforeAll(async () => {
    sim = await createKsefSimulator({ clock, validator, rateLimits: false, delays: { processingMs: 5_000, acceptMs: 1_000 } });
    const login = await loginWithToken(sim.url, NIP, sim.registerKsefToken({ nip: NIP }));
    accessToken = login.accessToken;
  });
  afterAll(async () => {
    await sim.close();
    await validator.close();
  });

  it('the public key list matches the official schema and offers both usages', async () => {
    // Act
    const res = await call(`${sim.url}/security/public-key-certificates`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.flatMap((k: { usage: string[] }) => k.usage).sort()).toEqual(['KsefTokenEncryption', 'SymmetricKeyEncryption']);
    for (const key of res.body) expect(openApiErrors('PublicKeyCertificate', key)).toEqual([]);
  });

  it('a token login answers with official shapes and the redeem works only once', async () => {
    // Prepare
    const token = sim.registerKsefToken({ nip: NIP });
    // Act
    const login = await loginWithToken(sim.url, NIP, token);
    const second = await call(`${sim.url}/auth/token/redeem`, { method: 'POST', token: login.operationToken, headers: { 'x-error-format': 'problem-details' } });
    // Assess
    expect(openApiErrors('AuthenticationInitResponse', login.init.body)).toEqual([]);
    expect(login.status.body.status.code).toBe(200);
    expect(openApiErrors('AuthenticationOperationStatusResponse', login.status.body)).toEqual([]);
    expect(openApiErrors('AuthenticationTokensResponse', login.redeem.body)).toEqual([]);
    expect(second.status).toBe(400);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body.errors[0].code).toBe(21301);
    expect(openApiErrors('BadRequestProblemDetails', second.body)).toEqual([]);
  });

  it('the official sample invoice goes 100 → 150 → 200 on the clock and gets a KSeF number with a correct CRC-8', async () => {
    // Prepare
    const session = await openOnline(sim.url, accessToken);
    // Act
    const sent = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice('1')) });
    const statusUrl = `${sim.url}/sessions/${session.ref}/invoices/${sent.body.referenceNumber}`;
    await sim.settle();
    const first = await call(statusUrl, { token: accessToken });
    clock.advance(2_000);
    const second = await call(statusUrl, { token: accessToken });
    clock.advance(5_000);
    const final = await call(statusUrl, { token: accessToken });
    // Assess
    expect(session.res.status).toBe(201);
    expect(openApiErrors('OpenOnlineSessionResponse', session.res.body)).toEqual([]);
    expect(sent.status).toBe(202);
    expect([first.body.status.code, second.body.status.code, final.body.status.code]).toEqual([100, 150, 200]);
    expect(openApiErrors('SessionInvoiceStatusResponse', final.body)).toEqual([]);
    expect(isValidKsefNumber(final.body.ksefNumber)).toBe(true);
    expect(final.body.ksefNumber.startsWith(`${NIP}-20260302-`)).toBe(true);
  });

  it('a broken invoice ends in 430 with the schema error, a resent one in 440 with the original KSeF number', async () => {
    // Prepare
    const session = await openOnline(sim.url, accessToken);
    const original = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice('2')) });
    // Act
    const broken = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice('3').replace('<P_15>53.63</P_15>', '<P_15>abc</P_15>')) });
    const duplicate = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice('2')) });
    await sim.settle();
    clock.advance(10_000);
    const get = (ref: string) => call(`${sim.url}/sessions/${session.ref}/invoices/${ref}`, { token: accessToken });
    const [ok, bad, dup] = await Promise.all([get(original.body.referenceNumber), get(broken.body.referenceNumber), get(duplicate.body.referenceNumber)]);
    // Assess
    expect(bad.body.status.code).toBe(430);
    expect(bad.body.status.details.join(' ')).toContain('P_15');
    expect(dup.body.status.code).toBe(440);
    expect(dup.body.status.extensions).toEqual({ originalKsefNumber: ok.body.ksefNumber, originalSessionReferenceNumber: session.ref });
  });

  it('a hash that does not match the content is refused at once with 400/21403 in the legacy format', async () => {
    // Prepare
    const session = await openOnline(sim.url, accessToken);
    const body = { ...sendBody(session.key, session.iv, invoice('4')), invoiceHash: Buffer.alloc(32).toString('base64') };
    // Act
    const res = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: body });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.exception.exceptionDetailList[0].exceptionCode).toBe(21403);
    expect(openApiErrors('ExceptionResponse', res.body)).toEqual([]);
  });

  it('a closed session reaches 200 with a session UPO that is valid against UPO v4-3, listed with the official shapes', async () => {
    // Prepare
    const session = await openOnline(sim.url, accessToken);
    await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice('5')) });
    await sim.settle();
    clock.advance(10_000);
    // Act
    const close = await call(`${sim.url}/sessions/online/${session.ref}/close`, { method: 'POST', token: accessToken });
    const status = await call(`${sim.url}/sessions/${session.ref}`, { token: accessToken });
    const list = await call(`${sim.url}/sessions/${session.ref}/invoices?pageSize=10`, { token: accessToken });
    const upo = await call(status.body.upo.pages[0].downloadUrl);
    const invoiceUpo = await call(list.body.invoices[0].upoDownloadUrl);
    // Assess
    expect(close.status).toBe(204);
    expect(status.body.status.code).toBe(200);
    expect(openApiErrors('SessionStatusResponse', status.body)).toEqual([]);
    expect(openApiErrors('SessionInvoicesResponse', list.body)).toEqual([]);
    expect(await validator.validate('upo43', upo.text)).toEqual({ valid: true, errors: [] });
    expect(await validator.validate('upo43', invoiceUpo.text)).toEqual({ valid: true, errors: [] });
    expect(upo.text).toContain(list.body.invoices[0].ksefNumber);
  });

  it('a withdrawn public key makes a session open that names it fail with 400/21470', async () => {
    // Prepare
    const keys = (await call(`${sim.url}/security/public-key-certificates`)).body as { publicKeyId: string; usage: string[] }[];
    const symmetric = keys.find((k) => k.usage.includes('SymmetricKeyEncryption'))!;
    await sim.rotateKey(['SymmetricKeyEncryption']);
    sim.withdrawKey(symmetric.publicKeyId);
    // Act
    const res = await call(`${sim.url}/sessions/online`, {
      token: accessToken,
      json: { formCode: { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' }, encryption: { encryptedSymmetricKey: 'AAAA', initializationVector: Buffer.alloc(16).toString('base64'), publicKeyId: symmetric.publicKeyId } },
    });
    const retried = await openOnline(sim.url, accessToken);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.exception.exceptionDetailList[0].exceptionCode).toBe(21470);
    expect(retried.res.status).toBe(201);
  });

  it('a lost response after a send leaves the invoice in the session list, findable by its hash', async () => {
    // Prepare
    const session = await openOnline(sim.url, accessToken);
    const body = sendBody(session.key, session.iv, invoice('6'));
    sim.faults.set({ loseResponses: { count: 1, match: '^POST /sessions/online/.+/invoices$' } });
    // Act
    const lost = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: body }).catch((e: Error) => e);
    const list = await call(`${sim.url}/sessions/${session.ref}/invoices`, { token: accessToken });
    // Assess
    expect(lost).toBeInstanceOf(Error);
    expect(list.body.invoices.map((i: { invoiceHash: string }) => i.invoiceHash)).toEqual([body.invoiceHash]);
  });
});
