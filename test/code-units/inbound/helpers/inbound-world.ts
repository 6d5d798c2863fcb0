import { createHash } from 'node:crypto';
import { HttpKsefGateway } from '../../../../functions/adapters/ksef/client/http-ksef-gateway.js';
import type { Timer } from '../../../../functions/adapters/ksef/client/http/rate-budget.js';
import { MemoryDocumentRepository } from '../../../../functions/adapters/memory/memory-document-repository.js';
import { MemoryDocumentStore } from '../../../../functions/adapters/memory/memory-document-store.js';
import { MemoryIncomingDocumentRepository } from '../../../../functions/adapters/memory/memory-incoming-document-repository.js';
import { MemoryLedgerRepository } from '../../../../functions/adapters/memory/memory-ledger-repository.js';
import { MemorySyncStateRepository } from '../../../../functions/adapters/memory/memory-sync-state-repository.js';
import { fa3Parser } from '../../../../functions/adapters/xml/fa3-parser.js';
import type { CodeUnitId } from '../../../../functions/domain/catalogue.js';
import { moveToSending, newOutgoingDocument, recordAccepted, recordSent, type OutgoingDocument } from '../../../../functions/domain/documents.js';
import type { RunTrigger } from '../../../../functions/domain/job-queue-entry.js';
import type { ManualClock } from '../../../../functions/ksef-sim/clock.js';
import type { KsefSimulator } from '../../../../functions/ksef-sim/simulator.js';
import type { CodeUnitContext } from '../../../../functions/ports/code-unit.js';
import type { DocumentRepository } from '../../../../functions/ports/document-repository.js';
import { makeEntry } from '../../../helpers/entry-factory.js';
import { RecordingLogger } from '../../../helpers/recording-logger.js';

/** The company this system acts for in the inbound tests (a valid NIP). */
export const COMPANY_NIP = '5265877635';
/** Suppliers and customers (valid NIPs). */
export const SUPPLIER_NIP = '7778889998';
export const CUSTOMER_NIP = '1111111111';

/** Client time that never sleeps: Retry-After and export polling advance it instead. */
export function virtualTimer(): Timer {
  let now = Date.now();
  return { now: () => Math.max(now, Date.now()), sleep: async (ms) => void (now = Math.max(now, Date.now()) + ms) };
}

/** A real HTTP client logged in to the simulator with a KSeF token of the company. */
export function gatewayFor(sim: KsefSimulator, nip = COMPANY_NIP): HttpKsefGateway {
  return new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip,
    credentials: { kind: 'token', token: sim.registerKsefToken({ nip }) },
    timer: virtualTimer(),
    onWarning: () => undefined,
  });
}

/** Everything the inbound code units keep, in memory. */
export function memoryStores() {
  return {
    documents: new MemoryDocumentRepository(),
    incoming: new MemoryIncomingDocumentRepository(),
    ledger: new MemoryLedgerRepository(),
    blobs: new MemoryDocumentStore(),
    syncState: new MemorySyncStateRepository(),
    parser: fa3Parser,
  };
}

/** What the run protocol hands a code unit, with the deadline `timeoutMs` from now on `clock`. */
export function runContext(codeUnit: CodeUnitId, clock: ManualClock, options: { trigger?: RunTrigger; timeoutMs?: number; signal?: AbortSignal } = {}): CodeUnitContext {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return {
    runId: `run-${clock.now().getTime()}`,
    trigger: options.trigger ?? 'schedule',
    attempt: 1,
    entry: makeEntry({ codeUnit, status: 'InProcess', jobTimeoutSeconds: timeoutMs / 1000 }),
    clock,
    deadline: new Date(clock.now().getTime() + timeoutMs),
    signal: options.signal ?? new AbortController().signal,
    logger: new RecordingLogger(),
  };
}

/**
 * An invoice the company sent and KSeF accepted: stored in the simulator as the company's sale and
 * recorded locally as an Accepted document with KSeF's number, as send-documents and
 * process-sessions leave it.
 */
export async function acceptedSale(
  sim: KsefSimulator,
  documents: DocumentRepository,
  options: { sellerNip: string; invoiceNumber: string; id: string },
): Promise<OutgoingDocument> {
  const stored = await sim.seedIncomingInvoice({ sellerNip: options.sellerNip, buyerNip: CUSTOMER_NIP, invoiceNumber: options.invoiceNumber });
  const accepted = await recordedDocument(documents, stored.xml, options.id, 'Accepted', { ksefNumber: stored.ksefNumber, acquisitionDate: stored.acquisitionDate.toISOString() });
  return accepted;
}

/** A local outgoing document for `xml`, moved to `status` (Accepted with the given KSeF number). */
export async function recordedDocument(
  documents: DocumentRepository,
  xml: Uint8Array,
  id: string,
  status: 'Sent' | 'Accepted',
  ksef: { ksefNumber: string; acquisitionDate: string } = { ksefNumber: '', acquisitionDate: '' },
): Promise<OutgoingDocument> {
  const text = new TextDecoder().decode(xml);
  const at = '2026-03-02T08:00:00.000Z';
  const by = 'test';
  const created = newOutgoingDocument({
    id,
    fields: fa3Parser.parse(text),
    contentSha256: createHash('sha256').update(xml).digest('base64'),
    sizeBytes: xml.byteLength,
    xmlKey: `outgoing/${id}.xml`,
    submittedBy: by,
    at,
  });
  let doc = (await documents.create(created)).document;
  doc = await documents.update(moveToSending(doc, { at, by, sessionReferenceNumber: 'session-1' }), doc.version);
  doc = await documents.update(recordSent(doc, { at, by, sessionReferenceNumber: 'session-1', invoiceReferenceNumber: `inv-${id}` }), doc.version);
  if (status === 'Accepted') doc = await documents.update(recordAccepted(doc, { at, by, ...ksef }), doc.version);
  return doc;
}
