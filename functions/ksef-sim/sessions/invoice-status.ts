import type { SessionInvoice, StatusInfo } from '../state.js';

export const INVOICE_STATUS = {
  accepted: { code: 100, description: 'Faktura przyjęta do dalszego przetwarzania' },
  processing: { code: 150, description: 'Trwa przetwarzanie' },
  success: { code: 200, description: 'Sukces' },
  sessionFailed: { code: 405, description: 'Przetwarzanie anulowane z powodu błędu sesji' },
  attachmentNotAllowed: { code: 415, description: 'Brak możliwości wysyłania faktury z załącznikiem' },
  fileVerification: { code: 430, description: 'Błąd weryfikacji pliku faktury' },
  decryption: { code: 435, description: 'Błąd odszyfrowania pliku' },
  duplicate: { code: 440, description: 'Duplikat faktury' },
  semantic: { code: 450, description: 'Błąd weryfikacji semantyki dokumentu faktury' },
  cancelledBySystem: {
    code: 550,
    description: 'Operacja została anulowana przez system',
    details: ['Przetwarzanie zostało przerwane z przyczyn wewnętrznych systemu. Spróbuj ponownie'],
  },
} as const satisfies Record<string, StatusInfo>;

/**
 * What a status read shows at `now`: 100, then 150, then the final result once processing is
 * done and its delay has passed. `countPoll` consumes one "stuck" poll of an injected fault.
 */
export function visibleInvoiceStatus(invoice: SessionInvoice, now: Date, acceptMs: number, countPoll: boolean): StatusInfo {
  if (now.getTime() < invoice.invoicingDate.getTime() + acceptMs) return INVOICE_STATUS.accepted;
  if (invoice.stuckPolls > 0) {
    if (countPoll) invoice.stuckPolls--;
    return INVOICE_STATUS.processing;
  }
  if (invoice.stuckUntil && now < invoice.stuckUntil) return INVOICE_STATUS.processing;
  if (!invoice.result || !invoice.visibleAt || now < invoice.visibleAt) return INVOICE_STATUS.processing;
  return invoice.result.kind === 'accepted' ? INVOICE_STATUS.success : invoice.result.status;
}

export function isFinal(status: StatusInfo): boolean {
  return status.code >= 200;
}
