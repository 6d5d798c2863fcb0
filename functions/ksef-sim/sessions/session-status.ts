import type { SimContext } from '../context.js';
import type { SimSession, StatusInfo } from '../state.js';
import { isFinal, visibleInvoiceStatus } from './invoice-status.js';

export interface SessionCounts {
  readonly invoiceCount: number;
  readonly successfulInvoiceCount: number;
  readonly failedInvoiceCount: number;
  readonly allFinal: boolean;
}

export function sessionCounts(ctx: SimContext, session: SimSession): SessionCounts {
  const now = ctx.clock.now();
  let ok = 0;
  let failed = 0;
  for (const invoice of session.invoices) {
    const status = visibleInvoiceStatus(invoice, now, ctx.options.delays.acceptMs, false);
    if (status.code === 200) ok++;
    else if (isFinal(status)) failed++;
  }
  return { invoiceCount: session.invoices.length, successfulInvoiceCount: ok, failedInvoiceCount: failed, allFinal: ok + failed === session.invoices.length };
}

/** The effective close time: an online session left open closes itself at `validUntil`. */
export function closedAt(ctx: SimContext, session: SimSession): Date | null {
  if (session.closedAt) return session.closedAt;
  if (session.kind === 'Online' && ctx.clock.now() >= session.validUntil) return session.validUntil;
  return null;
}

/** Online: 100 open, 170 closed, 200/440/445 processed. Batch: 100 open, 150 processing, 200/4xx. */
export function sessionStatus(ctx: SimContext, session: SimSession): StatusInfo {
  if (session.failure) return session.failure;
  const online = session.kind === 'Online';
  const closed = closedAt(ctx, session);
  if (!closed) {
    if (!online && ctx.clock.now() > session.batch!.uploadDeadline) {
      return { code: 440, description: 'Sesja anulowana', details: ['Przekroczono czas wysyłki'] };
    }
    return { code: 100, description: online ? 'Sesja interaktywna otwarta' : 'Sesja wsadowa rozpoczęta' };
  }
  const counts = sessionCounts(ctx, session);
  const waiting = ctx.clock.now().getTime() < closed.getTime() + ctx.options.delays.sessionCloseMs;
  if (session.invoices.length === 0 && online) return { code: 440, description: 'Sesja anulowana', details: ['Nie przesłano faktur'] };
  if (!counts.allFinal || waiting || (!online && session.invoices.length === 0)) {
    return online ? { code: 170, description: 'Sesja interaktywna zamknięta' } : { code: 150, description: 'Trwa przetwarzanie' };
  }
  if (counts.successfulInvoiceCount === 0) return { code: 445, description: 'Błąd weryfikacji, brak poprawnych faktur' };
  return { code: 200, description: online ? 'Sesja interaktywna przetworzona pomyślnie' : 'Sesja wsadowa przetworzona pomyślnie' };
}
