import type { InvoiceToSend, SentInvoice } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import { encryptInvoice, type SymmetricKey } from '../crypto/primitives.js';
import { KsefUnknownOutcomeError } from '../../../../ports/ksef-errors.js';
import { postInvoice } from './online-session.js';
import { findInvoiceByHash } from './session-status.js';

export interface SendOnceOptions {
  /**
   * How many times the invoice may be POSTed in all, each time only after the hash was not found.
   * Default 1: KSeF may list an invoice it took only some time after the POST, so "not found" a
   * moment later does not prove it absent, and a second POST could put it in twice (a 440
   * duplicate). The caller reconciles what stays unknown once the session is closed, when its
   * invoice list is final. More than 1 only for callers that cannot wait for the close.
   */
  readonly maxPosts?: number;
  /** Pause before looking for the hash, so that a send KSeF is still registering shows up. */
  readonly reconcileDelayMs?: number;
}

/**
 * Sends one invoice to an online session without ever sending it twice by accident.
 *
 * KSeF has no idempotency key, so a POST whose response was lost (network error, timeout, 5xx) is
 * never repeated blindly: the session's invoice list is searched for the invoice's SHA-256, and if
 * it is there its reference number is returned as the result of the send. By default the POST is
 * not repeated at all (see `maxPosts`): should the hash not be found, the KsefUnknownOutcomeError
 * goes to the caller, who must keep the invoice "in doubt" and reconcile it after closing the
 * session, not resend it.
 */
export async function sendInvoiceOnce(
  ctx: ClientContext,
  sessionRef: string,
  secret: SymmetricKey,
  invoice: InvoiceToSend,
  options: SendOnceOptions = {},
  signal?: AbortSignal,
): Promise<SentInvoice> {
  const body = {
    ...encryptInvoice(secret, invoice.xml),
    offlineMode: invoice.offlineMode ?? false,
    ...(invoice.hashOfCorrectedInvoice ? { hashOfCorrectedInvoice: invoice.hashOfCorrectedInvoice } : {}),
  };
  const maxPosts = options.maxPosts ?? 1;
  let lastError: KsefUnknownOutcomeError | undefined;
  for (let posts = 0; posts < maxPosts; ) {
    if (lastError) {
      await ctx.timer.sleep(options.reconcileDelayMs ?? 1_000, signal);
      const existing = await findInvoiceByHash(ctx, sessionRef, body.invoiceHash, signal);
      if (existing) return { invoiceReferenceNumber: existing.referenceNumber, invoiceHash: body.invoiceHash, reconciled: true };
    }
    try {
      posts++;
      const reference = await postInvoice(ctx, sessionRef, body, signal);
      return { invoiceReferenceNumber: reference, invoiceHash: body.invoiceHash, reconciled: false };
    } catch (error) {
      if (!(error instanceof KsefUnknownOutcomeError)) throw error;
      lastError = error;
    }
  }
  // One last look: the final POST may have landed too.
  await ctx.timer.sleep(options.reconcileDelayMs ?? 1_000, signal);
  const existing = await findInvoiceByHash(ctx, sessionRef, body.invoiceHash, signal);
  if (existing) return { invoiceReferenceNumber: existing.referenceNumber, invoiceHash: body.invoiceHash, reconciled: true };
  throw lastError ?? new KsefUnknownOutcomeError('POST', `/sessions/online/${sessionRef}/invoices`);
}
