import { MemoryDocumentRepository } from '../../functions/adapters/memory/memory-document-repository.js';
import { documentRepositoryContract } from './document-repository.contract.js';

documentRepositoryContract('MemoryDocumentRepository', async () => new MemoryDocumentRepository());
