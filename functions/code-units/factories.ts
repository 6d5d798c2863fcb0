import type { CodeUnitId } from '../domain/catalogue.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { DocumentRepository } from '../ports/document-repository.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { IncomingDocumentRepository } from '../ports/incoming-document-repository.js';
import type { InvoiceParser } from '../ports/invoice-parser.js';
import type { KsefGateway } from '../ports/ksef-gateway.js';
import type { KsefSessionRepository } from '../ports/ksef-session-repository.js';
import type { LedgerRepository } from '../ports/ledger-repository.js';
import type { SyncStateRepository } from '../ports/sync-state-repository.js';
import { incomingDocumentsCodeUnit, type IncomingDocumentsOptions } from './incoming-documents/incoming-documents.js';
import { createProcessSessionsCodeUnit } from './process-sessions/process-sessions.js';
import { createProcessUpoCodeUnit } from './process-upo/process-upo.js';
import { createSendDocumentsCodeUnit, type SendDocumentsConfig } from './send-documents/send-documents.js';
import { updateLedgersCodeUnit, type UpdateLedgersOptions } from './update-ledgers/update-ledgers.js';

/*
 * One factory per code unit, each a separate export: a Lambda function imports only its own, so
 * that its bundle holds one code unit, not five (registry.ts gathers them for local mode).
 */

/** Everything the five code units need; each runtime (wiring/local.ts, wiring/aws-code-units.ts) builds it. */
export interface CodeUnitDeps {
  readonly ksef: KsefGateway;
  readonly documents: DocumentRepository;
  readonly incoming: IncomingDocumentRepository;
  readonly ledger: LedgerRepository;
  /** Invoice XML and UPOs. */
  readonly blobs: DocumentStore;
  readonly sessions: KsefSessionRepository;
  readonly syncState: SyncStateRepository;
  /**
   * The FA(3) reader; only incoming-documents reads invoices, so only its Lambda function bundles one
   * (fast-xml-parser is 60 KB of a 500 KB budget).
   */
  readonly parser?: InvoiceParser;
  readonly config?: {
    readonly sendDocuments?: Partial<SendDocumentsConfig>;
    readonly incomingDocuments?: IncomingDocumentsOptions;
    readonly updateLedgers?: UpdateLedgersOptions;
  };
}

/** How to build the code unit `id` from the runtime's dependencies. */
export interface CodeUnitFactory<K extends CodeUnitId = CodeUnitId> {
  readonly id: K;
  build(deps: CodeUnitDeps): CodeUnit;
}

export const sendDocumentsFactory: CodeUnitFactory<'send-documents'> = {
  id: 'send-documents',
  build: (deps) =>
    createSendDocumentsCodeUnit({
      documents: deps.documents,
      store: deps.blobs,
      sessions: deps.sessions,
      ksef: deps.ksef,
      ...(deps.config?.sendDocuments ? { config: deps.config.sendDocuments } : {}),
    }),
};

export const processSessionsFactory: CodeUnitFactory<'process-sessions'> = {
  id: 'process-sessions',
  build: (deps) => createProcessSessionsCodeUnit({ documents: deps.documents, sessions: deps.sessions, ksef: deps.ksef }),
};

export const processUpoFactory: CodeUnitFactory<'process-upo'> = {
  id: 'process-upo',
  build: (deps) => createProcessUpoCodeUnit({ documents: deps.documents, store: deps.blobs, sessions: deps.sessions, ksef: deps.ksef }),
};

export const updateLedgersFactory: CodeUnitFactory<'update-ledgers'> = {
  id: 'update-ledgers',
  build: (deps) =>
    updateLedgersCodeUnit({
      ksef: deps.ksef,
      documents: deps.documents,
      incoming: deps.incoming,
      ledger: deps.ledger,
      syncState: deps.syncState,
      ...(deps.config?.updateLedgers ? { options: deps.config.updateLedgers } : {}),
    }),
};

export const incomingDocumentsFactory: CodeUnitFactory<'incoming-documents'> = {
  id: 'incoming-documents',
  build: (deps) =>
    incomingDocumentsCodeUnit({
      ksef: deps.ksef,
      incoming: deps.incoming,
      blobs: deps.blobs,
      parser: required(deps.parser, 'parser'),
      syncState: deps.syncState,
      ...(deps.config?.incomingDocuments ? { options: deps.config.incomingDocuments } : {}),
    }),
};

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`The code unit incoming-documents needs the runtime's ${name}.`);
  return value;
}
