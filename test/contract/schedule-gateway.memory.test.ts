import { MemoryScheduleGateway } from '../../functions/adapters/memory/memory-schedule-gateway.js';
import { scheduleGatewayContract } from './schedule-gateway.contract.js';

scheduleGatewayContract('MemoryScheduleGateway', async () => new MemoryScheduleGateway());
