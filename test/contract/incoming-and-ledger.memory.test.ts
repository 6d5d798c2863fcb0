import { MemoryIncomingDocumentRepository } from '../../functions/adapters/memory/memory-incoming-document-repository.js';
import { MemoryLedgerRepository } from '../../functions/adapters/memory/memory-ledger-repository.js';
import { incomingDocumentRepositoryContract } from './incoming-document-repository.contract.js';
import { ledgerRepositoryContract } from './ledger-repository.contract.js';

incomingDocumentRepositoryContract('MemoryIncomingDocumentRepository', async () => new MemoryIncomingDocumentRepository());
ledgerRepositoryContract('MemoryLedgerRepository', async () => new MemoryLedgerRepository());
