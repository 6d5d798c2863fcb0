import { SchemaValidationError } from '../../domain/errors.js';
import type { IncomingDocument, InvoiceFields } from '../../domain/documents.js';
import type { CodeUnit, CodeUnitContext } from '../../ports/code-unit.js';
import { documentBlobKeys, type DocumentStore } from '../../ports/document-store.js';
import type { IncomingDocumentRepository } from '../../ports/incoming-document-repository.js';
import type { InvoiceParser } from '../../ports/invoice-parser.js';
import { KsefRateBudgetExhaustedError, KsefRateLimitError } from '../../ports/ksef-errors.js';
import type { IncrementalSyncPackage, KsefGateway, KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';
import type { Logger } from '../../ports/logger.js';
import type { SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';
import { fieldsFromMetadata } from './fields-from-metadata.js';

export interface IncomingDocumentsOptions {
  /** Where the very first sync starts when no mark is stored (default: 30 days back; KSeF allows 3 months). */
  readonly initialLookbackDays?: number;
  /** A scheduled run within this long of the last package does nothing (MF: poll each subject type at most every 15 minutes). */
  readonly minPollIntervalMs?: number;
  /** No new package is started with less than this left before the deadline (capped at half the job timeout). */
  readonly packageReserveMs?: number;
  /** Packages per run at most (each is one export: 20 an hour in production). */
  readonly maxPackagesPerRun?: number;
}

export interface IncomingDocumentsDeps {
  readonly ksef: KsefGateway;
  readonly incoming: IncomingDocumentRepository;
  readonly blobs: DocumentStore;
  readonly parser: InvoiceParser;
  readonly syncState: SyncStateRepository;
  readonly options?: IncomingDocumentsOptions;
}

export const PURCHASE_STREAM: SyncStreamId = { purpose: 'incoming-documents', subjectType: 'Subject2' };

const DAY_MS = 86_400_000;

type Counters = Record<'incomingAdded' | 'incomingSeen' | 'packages', number>;

/*
 * Incremental sync of purchase invoices (Subject2) by KSeF's high-water mark (README §8.3): one
 * export package after another from the stored mark, every invoice's XML stored and its document
 * added (both idempotent, keyed by the KSeF number), and only then the mark moved on. A run that
 * dies half-way leaves the mark where it was: the next run fetches the package again and the
 * de-duplication absorbs what was already stored. KSeF's limit on exports (20 an hour) is not a
 * failure: the run stops there, succeeds counting what it left (`packagesPostponed`), and a later run
 * goes on from the mark.
 */
export function incomingDocumentsCodeUnit(deps: IncomingDocumentsDeps): CodeUnit {
  const options = {
    initialLookbackDays: deps.options?.initialLookbackDays ?? 30,
    minPollIntervalMs: deps.options?.minPollIntervalMs ?? 15 * 60_000,
    packageReserveMs: deps.options?.packageReserveMs ?? 120_000,
    maxPackagesPerRun: deps.options?.maxPackagesPerRun ?? 10,
  };
  return {
    id: 'incoming-documents',
    async run(context) {
      const counters: Counters = { incomingAdded: 0, incomingSeen: 0, packages: 0 };
      const started = context.clock.now();
      const reserveMs = Math.min(options.packageReserveMs, (context.entry.jobTimeoutSeconds * 1000) / 2);
      let state = await deps.syncState.get(PURCHASE_STREAM);
      const scheduled = context.trigger !== 'manual';
      if (scheduled && state && started.getTime() - Date.parse(state.updatedAt) < options.minPollIntervalMs) return { counters };

      let packagesPostponed = 0;
      let from = state?.mark ?? new Date(started.getTime() - options.initialLookbackDays * DAY_MS).toISOString();
      while (counters.packages < options.maxPackagesPerRun) {
        context.signal.throwIfAborted();
        if (context.deadline.getTime() - context.clock.now().getTime() < reserveMs) break;
        let pkg: IncrementalSyncPackage;
        try {
          pkg = await deps.ksef.syncInvoices({ subjectType: PURCHASE_STREAM.subjectType, from }, context.signal);
        } catch (error) {
          if (!isRateLimited(error)) throw error;
          // The mark stays where the last stored package left it: the next run asks from there.
          packagesPostponed = 1;
          context.logger.warn("KSeF's export limit is reached; the invoices wait for a later run.", { from, error: error.message });
          break;
        }
        counters.packages += 1;
        await storePackage(deps, context, pkg, counters);
        // Progress after effects: the mark moves only once every invoice of the package is stored.
        state = await deps.syncState.advance(PURCHASE_STREAM, pkg.nextFrom, context.clock.now().toISOString(), state?.version ?? 0);
        from = pkg.nextFrom;
        if (!pkg.isTruncated) break;
      }
      return { counters: { ...counters, ...(packagesPostponed > 0 ? { packagesPostponed } : {}) } };
    },
  };
}

/** KSeF's limit for exports is reached (429, or the client will not wait that long): stop for now. */
function isRateLimited(error: unknown): error is KsefRateLimitError | KsefRateBudgetExhaustedError {
  return error instanceof KsefRateLimitError || error instanceof KsefRateBudgetExhaustedError;
}

async function storePackage(deps: IncomingDocumentsDeps, context: CodeUnitContext, pkg: IncrementalSyncPackage, counters: Counters): Promise<void> {
  for (const { metadata, xml } of pkg.invoices) {
    context.signal.throwIfAborted();
    counters.incomingSeen += 1;
    // Packages touch at their boundary and a re-run fetches a package again: skip what is stored.
    if (await deps.incoming.get(metadata.ksefNumber)) continue;
    const bytes = new TextEncoder().encode(xml);
    const xmlKey = documentBlobKeys.incomingXml(metadata.ksefNumber);
    await deps.blobs.put(xmlKey, bytes);
    const contentSha256 = deps.ksef.invoiceHash(bytes);
    if (metadata.invoiceHash && metadata.invoiceHash !== contentSha256) {
      context.logger.warn("The invoice's XML does not hash to KSeF's invoiceHash; stored as received.", { ksefNumber: metadata.ksefNumber });
    }
    const document: IncomingDocument = {
      ksefNumber: metadata.ksefNumber,
      fields: fieldsOf(deps.parser, xml, metadata, context.logger),
      contentSha256,
      sizeBytes: bytes.byteLength,
      xmlKey,
      acquisitionDate: metadata.acquisitionDate,
      invoicingDate: metadata.invoicingDate ?? null,
      receivedAt: context.clock.now().toISOString(),
    };
    const { added } = await deps.incoming.add(document);
    if (added) counters.incomingAdded += 1;
  }
}

/** The parsed FA(3) fields; KSeF's own metadata when the XML is not an FA(3) the parser reads. */
function fieldsOf(parser: InvoiceParser, xml: string, metadata: KsefInvoiceMetadata, logger: Logger): InvoiceFields {
  try {
    return parser.parse(xml);
  } catch (error) {
    if (!(error instanceof SchemaValidationError)) throw error;
    logger.warn("The invoice is not an FA(3) the parser reads; its fields come from KSeF's metadata.", { ksefNumber: metadata.ksefNumber, error: error.message });
    return fieldsFromMetadata(metadata);
  }
}
