import { businessKeyOf, type LedgerRow, type OutgoingDocument } from '../../domain/documents.js';
import type { KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';
import { invoiceTypeOfMetadata } from '../incoming-documents/fields-from-metadata.js';
import { flagsOf, withFlags } from './ledger-flags.js';
import { ledgerRowOfMetadata } from './ledger-row-of-metadata.js';

export interface ReconcileInput {
  /** The window judged: our documents acquired in [from, to) must be in `records`. */
  readonly from: number;
  readonly to: number;
  /** KSeF's Subject1 metadata for the window, widened on both sides so that no boundary is missed. */
  readonly records: readonly KsefInvoiceMetadata[];
  /** Accepted outgoing documents by KSeF number. */
  readonly ours: ReadonlyMap<string, OutgoingDocument>;
  /** The ledger as it stands (after this run's projection). */
  readonly rows: ReadonlyMap<string, LedgerRow>;
  /** Our document with the business key (seller, type, number), whatever its status. */
  readonly findByKey: (metadata: KsefInvoiceMetadata) => Promise<OutgoingDocument | undefined>;
  readonly at: string;
}

export interface ReconcileResult {
  /** Rows whose content the window changed (to be written). */
  readonly rows: LedgerRow[];
  /** KSeF numbers KSeF holds that this system did not send. */
  readonly notSentByUs: string[];
  /** KSeF numbers this system believes KSeF gave, which KSeF does not list. */
  readonly unknownInKsef: string[];
}

const day = (ms: number) => new Date(ms).toISOString();

/**
 * Compares one window of KSeF's own record of the company's sales (Subject1) with what this system
 * sent: an invoice KSeF holds that we did not send is flagged InKsefOnly; an invoice we hold as
 * accepted that KSeF does not list is flagged MissingInKsef; the same KSeF number with other
 * content is flagged HashMismatch. A flag that the window disproves is cleared.
 */
export async function reconcileWindow(input: ReconcileInput): Promise<ReconcileResult> {
  const changed = new Map<string, LedgerRow>();
  const notSentByUs: string[] = [];
  const unknownInKsef: string[] = [];
  const current = (ksefNumber: string) => changed.get(ksefNumber) ?? input.rows.get(ksefNumber);
  const listed = new Set(input.records.map((r) => r.ksefNumber));

  for (const record of input.records) {
    const doc = input.ours.get(record.ksefNumber);
    if (doc !== undefined) {
      const row = current(record.ksefNumber);
      if (row === undefined) continue;
      const flags = flagsOf(row);
      flags.delete('MissingInKsef');
      if (doc.contentSha256 === record.invoiceHash) flags.delete('HashMismatch');
      else flags.set('HashMismatch', `KSeF's hash of ${record.ksefNumber} is ${record.invoiceHash}, the document ${doc.id} hashes to ${doc.contentSha256}.`);
      changed.set(record.ksefNumber, withFlags(row, flags));
      continue;
    }
    const candidate = await input.findByKey(record);
    // Sent by us, its KSeF number not recorded yet (process-sessions will): nothing to flag.
    if (candidate !== undefined && candidate.contentSha256 === record.invoiceHash) continue;
    const base = current(record.ksefNumber) ?? ledgerRowOfMetadata(record, input.at);
    const flags = flagsOf(base);
    flags.set('InKsefOnly', `KSeF holds ${record.invoiceType} '${record.invoiceNumber}' of seller ${record.seller.nip} (acquired ${record.acquisitionDate}) that this system did not send.`);
    if (candidate !== undefined) {
      flags.set('HashMismatch', `The document ${candidate.id} has the same seller, type and number but other content (${candidate.contentSha256}, KSeF: ${record.invoiceHash}).`);
    }
    changed.set(record.ksefNumber, withFlags(base, flags));
    notSentByUs.push(record.ksefNumber);
  }

  for (const [ksefNumber, doc] of input.ours) {
    if (listed.has(ksefNumber) || doc.acquisitionDate === null) continue;
    const acquired = Date.parse(doc.acquisitionDate);
    if (!(acquired >= input.from && acquired < input.to)) continue;
    const row = current(ksefNumber);
    if (row === undefined) continue;
    const flags = flagsOf(row);
    flags.set('MissingInKsef', `The document ${doc.id} was accepted as ${ksefNumber} on ${doc.acquisitionDate}, but KSeF does not list it among the company's invoices of ${day(input.from)} – ${day(input.to)}.`);
    changed.set(ksefNumber, withFlags(row, flags));
    unknownInKsef.push(ksefNumber);
  }
  return { rows: [...changed.values()], notSentByUs, unknownInKsef };
}

/** The business key KSeF's metadata names, to look our document up by. */
export function businessKeyOfMetadata(record: KsefInvoiceMetadata) {
  return businessKeyOf({ sellerNip: record.seller.nip, invoiceType: invoiceTypeOfMetadata(record.invoiceType), invoiceNumber: record.invoiceNumber });
}
