import { MemoryKsefSessionRepository } from '../../functions/adapters/memory/memory-ksef-session-repository.js';
import { ksefSessionRepositoryContract } from './ksef-session-repository.contract.js';

ksefSessionRepositoryContract('MemoryKsefSessionRepository', async () => new MemoryKsefSessionRepository());
