import type { Clock } from '../ports/clock.js';
import type { DocumentRepository } from '../ports/document-repository.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { IncomingDocumentRepository } from '../ports/incoming-document-repository.js';
import type { InvoiceParser } from '../ports/invoice-parser.js';
import type { InvoiceSchemaValidator } from '../ports/invoice-schema-validator.js';
import type { LedgerRepository } from '../ports/ledger-repository.js';

/** What the document use cases need; built by functions/wiring or by tests. */
export interface DocumentDeps {
  readonly documents: DocumentRepository;
  readonly incoming: IncomingDocumentRepository;
  readonly ledger: LedgerRepository;
  /** Invoice XML and UPOs (S3 on AWS, files in local mode). */
  readonly blobs: DocumentStore;
  /** XmllintXsdValidator fits as it is; keep one warm instance per process. */
  readonly validator: InvoiceSchemaValidator;
  /** fa3Parser (adapters/xml). */
  readonly parser: InvoiceParser;
  readonly clock: Clock;
  /** A new document id, e.g. a random UUID; characters [A-Za-z0-9-] only. */
  readonly newDocumentId: () => string;
}
