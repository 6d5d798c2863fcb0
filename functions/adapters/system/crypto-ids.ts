import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../ports/ids.js';

/** Entry ids are UUIDs; run ids start with their compact UTC start time so that they sort by it. */
export const cryptoIds: IdGenerator = {
  entryId: () => randomUUID(),
  runId: (at: Date) => `${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`,
};
