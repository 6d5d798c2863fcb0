import { MemoryDocumentRepository } from '../../functions/adapters/memory/memory-document-repository.js';
import { MemoryDocumentStore } from '../../functions/adapters/memory/memory-document-store.js';
import { MemoryIncomingDocumentRepository } from '../../functions/adapters/memory/memory-incoming-document-repository.js';
import { MemoryLedgerRepository } from '../../functions/adapters/memory/memory-ledger-repository.js';
import { fa3Parser } from '../../functions/adapters/xml/fa3-parser.js';
import type { InvoiceSchemaValidator } from '../../functions/ports/invoice-schema-validator.js';
import type { DocumentDeps } from '../../functions/use-cases/document-deps.js';
import { ManualClock } from './manual-clock.js';

export interface TestDocumentDeps extends DocumentDeps {
  readonly clock: ManualClock;
  readonly blobs: MemoryDocumentStore;
}

/** Document use-case dependencies on the memory adapters, the real FA(3) parser and `validator`. */
export function makeDocumentDeps(validator: InvoiceSchemaValidator, overrides: Partial<DocumentDeps> = {}): TestDocumentDeps {
  let next = 0;
  return {
    documents: new MemoryDocumentRepository(),
    incoming: new MemoryIncomingDocumentRepository(),
    ledger: new MemoryLedgerRepository(),
    blobs: new MemoryDocumentStore(),
    validator,
    parser: fa3Parser,
    clock: new ManualClock('2026-02-02T08:00:00.000Z'),
    newDocumentId: () => `doc-${String(++next).padStart(4, '0')}`,
    ...overrides,
  } as TestDocumentDeps;
}
