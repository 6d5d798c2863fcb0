import { MemoryDocumentStore } from '../../functions/adapters/memory/memory-document-store.js';
import { documentStoreContract } from './document-store.contract.js';

documentStoreContract('MemoryDocumentStore', async () => new MemoryDocumentStore());
