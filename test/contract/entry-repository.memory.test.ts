import { MemoryEntryRepository } from '../../functions/adapters/memory/memory-entry-repository.js';
import { entryRepositoryContract } from './entry-repository.contract.js';

entryRepositoryContract('MemoryEntryRepository', async () => new MemoryEntryRepository());
