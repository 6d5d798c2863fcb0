import { INVOICE_TYPES, isCorrectingInvoice, correctedInvoiceNumbers, type DocumentStatus, type OutgoingDocument } from '../../domain/documents.js';
import type { DocumentRepository } from '../../ports/document-repository.js';

/** Every document in `status`, in the repository's order (issue date, then id), all pages. */
export async function listAllByStatus(documents: DocumentRepository, status: DocumentStatus): Promise<OutgoingDocument[]> {
  const all: OutgoingDocument[] = [];
  let cursor: string | null = null;
  do {
    const page = await documents.list({ status, limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

/**
 * The stored originals of the correcting invoices among `docs`, by invoice number (what planSending
 * needs). A correction names the original's number but not its type, so each non-correcting type is
 * looked up under the correction's seller.
 */
export async function findOriginals(documents: DocumentRepository, docs: readonly OutgoingDocument[]): Promise<Map<string, OutgoingDocument>> {
  const originals = new Map<string, OutgoingDocument>();
  const wanted = correctedInvoiceNumbers(docs);
  if (wanted.length === 0) return originals;
  const sellers = [...new Set(docs.filter((doc) => isCorrectingInvoice(doc.fields)).map((doc) => doc.fields.sellerNip))];
  const types = INVOICE_TYPES.filter((type) => !isCorrectingInvoice({ invoiceType: type }));
  for (const invoiceNumber of wanted) {
    for (const sellerNip of sellers) {
      for (const invoiceType of types) {
        const found = await documents.findByKey({ sellerNip, invoiceType, invoiceNumber });
        if (found && !originals.has(invoiceNumber)) originals.set(invoiceNumber, found);
      }
    }
  }
  return originals;
}
