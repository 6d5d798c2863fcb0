import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { openApiErrors } from './helpers/openapi-validator.js';
import { call, loginWithToken, openOnline, sendBody } from './helpers/sim-client.js';

const NIP = '5265877635';
const template = readFileSync(new URL('../fixtures/ksef/invoice-template-fa-3.xml', import.meta.url), 'utf8');
const invoice = (n: string) => template.replace('#nip#', NIP).replace('#invoice_number#', n).replace(/<P_1>[^<]*<\/P_1>/, '<P_1>2026-03-02</P_1>');

describe('KSeF simulator: faults that cancel, refuse and hold invoices, set over /_sim/faults', () => {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;
  let accessToken: string;
  let n = 0;

  beforeAll(async () => {
    sim = await createKsefSimulator({ clock, validator, rateLimits: false });
    accessToken = (await loginWithToken(sim.url, NIP, sim.registerKsefToken({ nip: NIP }))).accessToken;
  });
  afterAll(async () => {
    await sim.close();
    await validator.close();
  });

  const setFaults = (faults: unknown) => call(`${sim.origin}/_sim/faults`, { method: 'PUT', json: faults });
  const clearFaults = () => call(`${sim.origin}/_sim/faults`, { method: 'DELETE' });

  async function sendOne(ref: string, key: Buffer, iv: Buffer) {
    const number = `FLT/${++n}`;
    const sent = await call(`${sim.url}/sessions/online/${ref}/invoices`, { token: accessToken, json: sendBody(key, iv, invoice(number)), headers: { 'x-error-format': 'problem-details' } });
    return { number, sent };
  }

  it('cancelInvoices ends the next invoices in 550 (or 405) with no KSeF number, and the same invoice sent again is accepted', async () => {
    // Prepare
    await clearFaults();
    const put = await setFaults({ cancelInvoices: { count: 2 } });
    const session = await openOnline(sim.url, accessToken);
    const first = await sendOne(session.ref, session.key, session.iv);
    const second = await sendOne(session.ref, session.key, session.iv);
    await setFaults({ cancelInvoices: { count: 1, code: 405 } });
    const third = await sendOne(session.ref, session.key, session.iv);
    await sim.settle();
    // Act
    const list = await call(`${sim.url}/sessions/${session.ref}/invoices?pageSize=10`, { token: accessToken });
    const again = await call(`${sim.url}/sessions/online/${session.ref}/invoices`, { token: accessToken, json: sendBody(session.key, session.iv, invoice(first.number)) });
    await sim.settle();
    const resent = await call(`${sim.url}/sessions/${session.ref}/invoices/${again.body.referenceNumber}`, { token: accessToken });
    // Assess
    expect(put.body).toEqual({ cancelInvoices: { count: 2 } });
    expect([first.sent.status, second.sent.status, third.sent.status]).toEqual([202, 202, 202]);
    const statuses = list.body.invoices.map((i: { status: { code: number }; ksefNumber: string | null }) => [i.status.code, i.ksefNumber]);
    expect(statuses).toEqual([
      [550, null],
      [550, null],
      [405, null],
    ]);
    expect(list.body.invoices[0].status.description).toBe('Operacja została anulowana przez system');
    for (const view of list.body.invoices) expect(openApiErrors('SessionInvoiceStatusResponse', view)).toEqual([]);
    expect(resent.body.status.code).toBe(200);
    expect(resent.body.ksefNumber).toMatch(/^5265877635-/);
    expect((await call(`${sim.origin}/_sim/faults`)).body).toEqual({});
  });

  it('refuseInvoices answers the next invoice sent with 400 and the KSeF code, and keeps nothing of it', async () => {
    // Prepare
    await clearFaults();
    await setFaults({ refuseInvoices: { count: 1, code: 21403, details: ['zły skrót'] } });
    const session = await openOnline(sim.url, accessToken);
    // Act
    const refused = await sendOne(session.ref, session.key, session.iv);
    const next = await sendOne(session.ref, session.key, session.iv);
    const list = await call(`${sim.url}/sessions/${session.ref}/invoices`, { token: accessToken });
    // Assess
    expect(refused.sent.status).toBe(400);
    expect(refused.sent.body.errors[0]).toMatchObject({ code: 21403, description: 'Nieprawidłowy skrót pliku.', details: ['zły skrót'] });
    expect(openApiErrors('BadRequestProblemDetails', refused.sent.body)).toEqual([]);
    expect(next.sent.status).toBe(202);
    expect(list.body.invoices).toHaveLength(1);
  });

  it('stuckInvoices.polls counts reads through the session invoice list as well as single status reads', async () => {
    // Prepare
    await clearFaults();
    await setFaults({ stuckInvoices: { count: 1, polls: 3 } });
    const session = await openOnline(sim.url, accessToken);
    const { sent } = await sendOne(session.ref, session.key, session.iv);
    await sim.settle();
    const listCode = async () => (await call(`${sim.url}/sessions/${session.ref}/invoices`, { token: accessToken })).body.invoices[0].status.code as number;
    const singleCode = async () => (await call(`${sim.url}/sessions/${session.ref}/invoices/${sent.body.referenceNumber}`, { token: accessToken })).body.status.code as number;
    // Act
    const codes = [await listCode(), await singleCode(), await listCode(), await listCode(), await singleCode()];
    // Assess
    expect(codes).toEqual([150, 150, 150, 200, 200]);
  });
});
