import { MemorySyncStateRepository } from '../../functions/adapters/memory/memory-sync-state-repository.js';
import { syncStateRepositoryContract } from './sync-state-repository.contract.js';

syncStateRepositoryContract('MemorySyncStateRepository', async () => new MemorySyncStateRepository());
