import { isCorrectingInvoice, type InvoiceFields, type OutgoingDocument } from './model.js';

/* In what order Pending documents may go, and which day KSeF counts them on. */

/** The calendar day (Europe/Warsaw) of `instant`, YYYY-MM-DD; KSeF compares P_1 with this day. */
export function warsawDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * KSeF marks an invoice offline when the day of P_1 is before the day it is invoiced (sent, or the
 * batch session opened). README §12 assumes Europe/Warsaw for the day comparison.
 */
export function wouldBeMarkedOffline(fields: Pick<InvoiceFields, 'issueDate'>, invoicingAt: Date): boolean {
  return fields.issueDate < warsawDay(invoicingAt);
}

/** Why a correcting invoice must wait, or null when it may go now. */
export function correctionBlocker(doc: OutgoingDocument, originals: ReadonlyMap<string, OutgoingDocument>): string | null {
  if (!isCorrectingInvoice(doc.fields)) return null;
  for (const ref of doc.fields.corrects) {
    // A correction that names the original's KSeF number proves the original is in KSeF already.
    if (ref.ksefNumber !== null) continue;
    const original = originals.get(ref.invoiceNumber);
    // An original this system never held was not sent by it (e.g. issued outside KSeF): nothing to wait for.
    if (original === undefined) continue;
    if (original.ksefNumber === null) return `its original '${ref.invoiceNumber}' has no KSeF number yet (${original.status})`;
  }
  return null;
}

export interface SendPlan {
  readonly sendable: readonly OutgoingDocument[];
  readonly waiting: readonly { readonly document: OutgoingDocument; readonly reason: string }[];
}

/**
 * Orders pending documents for sending: by issue date, then submission time, then id; a correcting
 * invoice only after its original has a KSeF number (README §12), so one whose original is pending
 * in the same batch waits for a later run. `originals` maps invoice numbers of the same seller to
 * the stored documents (the caller looks up the numbers in `fields.corrects`).
 */
export function planSending(pending: readonly OutgoingDocument[], originals: ReadonlyMap<string, OutgoingDocument>): SendPlan {
  const ordered = [...pending]
    .filter((doc) => doc.status === 'Pending')
    .sort((a, b) => compare(a.fields.issueDate, b.fields.issueDate) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  const sendable: OutgoingDocument[] = [];
  const waiting: { document: OutgoingDocument; reason: string }[] = [];
  for (const doc of ordered) {
    const reason = correctionBlocker(doc, originals);
    if (reason === null) sendable.push(doc);
    else waiting.push({ document: doc, reason });
  }
  return { sendable, waiting };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The invoice numbers a batch of documents corrects: what the caller must look up for planSending. */
export function correctedInvoiceNumbers(docs: readonly OutgoingDocument[]): string[] {
  return [...new Set(docs.flatMap((doc) => (isCorrectingInvoice(doc.fields) ? doc.fields.corrects.map((ref) => ref.invoiceNumber) : [])))];
}
