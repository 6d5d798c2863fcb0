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
  readonly parser: InvoiceParser;
  readonly config?: {
    readonly sendDocuments?: Partial<SendDocumentsConfig>;
    readonly incomingDocuments?: IncomingDocumentsOptions;
    readonly updateLedgers?: UpdateLedgersOptions;
  };
}

const FACTORIES: { readonly [K in CodeUnitId]: (deps: CodeUnitDeps) => CodeUnit } = {
  'send-documents': (deps) =>
    createSendDocumentsCodeUnit({
      documents: deps.documents,
      store: deps.blobs,
      sessions: deps.sessions,
      ksef: deps.ksef,
      ...(deps.config?.sendDocuments ? { config: deps.config.sendDocuments } : {}),
    }),
  'process-sessions': (deps) => createProcessSessionsCodeUnit({ documents: deps.documents, sessions: deps.sessions, ksef: deps.ksef }),
  'process-upo': (deps) => createProcessUpoCodeUnit({ documents: deps.documents, store: deps.blobs, sessions: deps.sessions, ksef: deps.ksef }),
  'update-ledgers': (deps) =>
    updateLedgersCodeUnit({
      ksef: deps.ksef,
      documents: deps.documents,
      incoming: deps.incoming,
      ledger: deps.ledger,
      syncState: deps.syncState,
      ...(deps.config?.updateLedgers ? { options: deps.config.updateLedgers } : {}),
    }),
  'incoming-documents': (deps) =>
    incomingDocumentsCodeUnit({
      ksef: deps.ksef,
      incoming: deps.incoming,
      blobs: deps.blobs,
      parser: deps.parser,
      syncState: deps.syncState,
      ...(deps.config?.incomingDocuments ? { options: deps.config.incomingDocuments } : {}),
    }),
};

/** One code unit (a Lambda builds only its own). */
export function createCodeUnit(id: CodeUnitId, deps: CodeUnitDeps): CodeUnit {
  return FACTORIES[id](deps);
}

/** All five, for the runtime that runs them all in one process. */
export function createCodeUnits(deps: CodeUnitDeps): Record<CodeUnitId, CodeUnit> {
  return {
    'send-documents': createCodeUnit('send-documents', deps),
    'process-sessions': createCodeUnit('process-sessions', deps),
    'process-upo': createCodeUnit('process-upo', deps),
    'update-ledgers': createCodeUnit('update-ledgers', deps),
    'incoming-documents': createCodeUnit('incoming-documents', deps),
  };
}
