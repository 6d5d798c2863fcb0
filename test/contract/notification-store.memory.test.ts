import { MemoryNotificationStore } from '../../functions/adapters/memory/memory-notification-store.js';
import { notificationStoreContract } from './notification-store.contract.js';

notificationStoreContract('MemoryNotificationStore', async ({ clock, emailLogRetentionDays }) => new MemoryNotificationStore({ clock, emailLogRetentionDays }));
