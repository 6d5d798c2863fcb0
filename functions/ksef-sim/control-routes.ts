import type { SimContext } from './context.js';
import type { KsefSimulator } from './simulator.js';
import { KsefApiError } from './http/api-error.js';
import { jsonBody } from './http/body.js';
import type { Router } from './http/router.js';
import { json } from './http/types.js';
import { invoiceMetadata } from './invoices/metadata.js';
import { faultSettingsProblems, type FaultSettings } from './faults/faults.js';
import type { SeedIncomingInvoiceInput } from './invoices/seed.js';
import type { RegisterKsefTokenInput } from './auth/ksef-tokens.js';
import { DEFAULT_DELAYS, type SimDelays } from './options.js';

type Control = Omit<KsefSimulator, 'url' | 'origin' | 'close'>;

/**
 * Simulator-only endpoints under `/_sim` (not part of KSeF): faults, delays, seeding purchase invoices,
 * KSeF tokens, permissions and key rotation, for users and tests driving a running simulator.
 */
export function registerControlRoutes(router: Router, ctx: SimContext, sim: Control): void {
  router.add('GET', '/_sim/faults', () => json(200, ctx.faults.current));
  router.add('PUT', '/_sim/faults', (req) => {
    const body = jsonBody<unknown>(req);
    const problems = faultSettingsProblems(body);
    if (problems.length > 0) throw new KsefApiError(400, 21405, `Nieprawidłowe usterki: ${problems.join('; ')}.`, problems);
    ctx.faults.set(body as FaultSettings);
    return json(200, ctx.faults.current);
  });
  router.add('DELETE', '/_sim/faults', () => {
    ctx.faults.clear();
    return json(200, {});
  });
  router.add('GET', '/_sim/delays', () => json(200, ctx.options.delays));
  router.add('PUT', '/_sim/delays', (req) => {
    const patch = jsonBody<Record<string, unknown>>(req);
    for (const [name, value] of Object.entries(patch)) {
      if (!(name in DEFAULT_DELAYS)) throw new KsefApiError(400, 21405, `Nieznane opóźnienie '${name}'; dostępne: ${Object.keys(DEFAULT_DELAYS).join(', ')}.`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new KsefApiError(400, 21405, `Opóźnienie '${name}' musi być nieujemną liczbą milisekund.`);
    }
    // Applies from now on: invoices already stored keep their permanentStorageDate.
    Object.assign(ctx.options.delays, patch as Partial<SimDelays>);
    return json(200, ctx.options.delays);
  });
  router.add('POST', '/_sim/incoming-invoices', async (req) => {
    const stored = await sim.seedIncomingInvoice(jsonBody<SeedIncomingInvoiceInput>(req));
    return json(201, invoiceMetadata(stored));
  });
  router.add('POST', '/_sim/ksef-tokens', (req) => {
    const input = jsonBody<RegisterKsefTokenInput>(req);
    if (!input.nip) throw new KsefApiError(400, 21405, "Pole 'nip' jest wymagane.");
    return json(201, { token: sim.registerKsefToken(input) });
  });
  router.add('POST', '/_sim/permissions', (req) => {
    const body = jsonBody<{ contextNip?: string; subjectId?: string; permissions?: string[] }>(req);
    if (!body.contextNip || !body.subjectId) throw new KsefApiError(400, 21405, "Pola 'contextNip' i 'subjectId' są wymagane.");
    sim.grantPermissions(body.contextNip, body.subjectId, body.permissions);
    return json(200, {});
  });
  router.add('POST', '/_sim/keys/rotate', async () => {
    const key = await sim.rotateKey();
    return json(201, { publicKeyId: key.publicKeyId, validFrom: key.validFrom.toISOString() });
  });
  router.add('POST', '/_sim/keys/withdraw', (req) => {
    const body = jsonBody<{ publicKeyId?: string }>(req);
    if (!body.publicKeyId) throw new KsefApiError(400, 21405, "Pole 'publicKeyId' jest wymagane.");
    sim.withdrawKey(body.publicKeyId);
    return json(200, {});
  });
  router.add('POST', '/_sim/contexts/block', (req) => {
    const body = jsonBody<{ nip?: string; blocked?: boolean }>(req);
    if (!body.nip) throw new KsefApiError(400, 21405, "Pole 'nip' jest wymagane.");
    if (body.blocked === false) ctx.blockedContexts.delete(body.nip);
    else ctx.blockedContexts.add(body.nip);
    return json(200, {});
  });
}
