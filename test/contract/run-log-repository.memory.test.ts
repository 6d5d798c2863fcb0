import { MemoryRunLogRepository } from '../../functions/adapters/memory/memory-run-log-repository.js';
import { runLogRepositoryContract } from './run-log-repository.contract.js';

runLogRepositoryContract('MemoryRunLogRepository', async ({ clock, retentionDays }) => new MemoryRunLogRepository({ clock, retentionDays }));
