import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { call } from './helpers/sim-client.js';

/*
 * The simulator's own control endpoints (/_sim) check their input like KSeF checks its own: a seeded
 * purchase invoice needs its buyer, and a fault setting with a typo is refused instead of silently
 * switching nothing on. Each refusal is a 400 naming the field.
 */

const BUYER = '5265877635';
const SELLER = '7778889998';
const PROBLEM = { 'x-error-format': 'problem-details' };

describe('KSeF simulator: input checks of the /_sim control endpoints', () => {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;

  beforeAll(async () => {
    sim = await createKsefSimulator({ clock, validator, rateLimits: false });
  });
  afterAll(async () => {
    await sim.close();
    await validator.close();
  });

  const seed = (body: unknown) => call(`${sim.origin}/_sim/incoming-invoices`, { json: body, headers: PROBLEM });
  const setFaults = (body: unknown) => call(`${sim.origin}/_sim/faults`, { method: 'PUT', json: body, headers: PROBLEM });

  it('a purchase invoice seeded without buyerNip is refused with 400 naming buyerNip, and nothing is stored', async () => {
    // Act
    const seeded = await seed({});

    // Assess
    expect(seeded.status).toBe(400);
    expect(seeded.text).toContain('buyerNip');
    expect(sim.state.invoicesByKsefNumber.size).toBe(0);
  });

  it('a purchase invoice seeded with a buyerNip that is not in the NIP shape KSeF accepts is refused with 400 naming buyerNip', async () => {
    // Act
    const notANip = await seed({ buyerNip: '0265877635', sellerNip: SELLER });
    const tooShort = await seed({ buyerNip: '12345', sellerNip: SELLER });
    const notText = await seed({ buyerNip: 5265877635, sellerNip: SELLER });

    // Assess
    for (const refused of [notANip, tooShort, notText]) {
      expect(refused.status).toBe(400);
      expect(refused.text).toContain("'buyerNip'");
    }
    expect(tooShort.text).toContain('10 digits');
  });

  it('a purchase invoice seeded with a valid buyerNip is stored for that buyer', async () => {
    // Act
    const seeded = await seed({ buyerNip: BUYER, sellerNip: SELLER, invoiceNumber: 'CHK/1' });

    // Assess
    expect(seeded.status).toBe(201);
    expect(seeded.body.buyer.identifier.value).toBe(BUYER);
    expect(seeded.body.seller.nip).toBe(SELLER);
  });

  it('an unknown fault is refused with 400 naming it, and no fault is set', async () => {
    // Act
    const refused = await setFaults({ bogus: 1 });
    const current = await call(`${sim.origin}/_sim/faults`);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("'bogus'");
    expect(current.body).toEqual({});
  });

  it('malformed fault values are refused with 400 naming each field', async () => {
    // Act
    const noCount = await setFaults({ serverErrors: { status: 503 } });
    const negativeLatency = await setFaults({ latencyMs: -5 });
    const badStatus = await setFaults({ serverErrors: { count: 1, status: 200 } });
    const badRegex = await setFaults({ loseResponses: { count: 1, match: '(' } });
    const unknownField = await setFaults({ tooManyRequests: { count: 1, retryAfter: 2 } });
    const notAnObject = await setFaults({ failSessions: 3 });

    // Assess
    expect(noCount.text).toContain("'serverErrors.count'");
    expect(negativeLatency.text).toContain("'latencyMs'");
    expect(badStatus.text).toContain("'serverErrors.status'");
    expect(badRegex.text).toContain("'loseResponses.match'");
    expect(unknownField.text).toContain("'tooManyRequests.retryAfter'");
    expect(notAnObject.text).toContain("'failSessions'");
    for (const refused of [noCount, negativeLatency, badStatus, badRegex, unknownField, notAnObject]) expect(refused.status).toBe(400);
    expect((await call(`${sim.origin}/_sim/faults`)).body).toEqual({});
  });

  it('well-formed faults are still accepted', async () => {
    // Act
    const set = await setFaults({ latencyMs: 0, serverErrors: { count: 3, status: 503, match: 'POST /sessions' }, refuseInvoices: { count: 1, code: 21402, details: ['too big'] } });

    // Assess
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ serverErrors: { count: 3, status: 503 } });
    await call(`${sim.origin}/_sim/faults`, { method: 'DELETE' });
  });
});
