import type { SimContext } from './context.js';
import { requireAccess } from './auth/bearer.js';
import type { Router } from './http/router.js';
import { json } from './http/types.js';
import { PRODUCTION_RATE_LIMITS } from './rate-limits/limits.js';

/** Public keys, effective limits. */
export function registerMiscRoutes(router: Router, ctx: SimContext): void {
  router.add('GET', '/security/public-key-certificates', () =>
    json(
      200,
      ctx.keys.published().map((k) => ({
        certificate: k.certificateDer.toString('base64'),
        certificateId: k.certificateId,
        publicKeyId: k.publicKeyId,
        validFrom: k.validFrom.toISOString(),
        validTo: k.validTo.toISOString(),
        usage: k.usage,
      })),
    ),
  );

  router.add('GET', '/rate-limits', (req) => {
    requireAccess(ctx, req);
    return json(200, ctx.options.rateLimits ?? PRODUCTION_RATE_LIMITS);
  });

  router.add('GET', '/limits/context', (req) => {
    const operation = requireAccess(ctx, req);
    const maxInvoices = ctx.state.maxInvoicesByContext.get(operation.context.value) ?? ctx.options.maxInvoicesPerSession;
    const limits = { maxInvoiceSizeInMB: 1, maxInvoiceWithAttachmentSizeInMB: 3, maxInvoices };
    return json(200, { onlineSession: limits, batchSession: limits });
  });
}
