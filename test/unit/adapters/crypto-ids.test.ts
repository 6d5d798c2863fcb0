import { describe, expect, it } from 'vitest';
import { cryptoIds } from '../../../functions/adapters/system/crypto-ids.js';

describe('cryptoIds', () => {
  it('gives run ids that sort in the order of their start times', () => {
    const earlier = cryptoIds.runId(new Date('2026-03-29T00:59:59.999Z'));
    const later = cryptoIds.runId(new Date('2026-03-29T01:00:00.000Z'));

    expect(earlier < later).toBe(true);
    expect(later).toMatch(/^20260329T010000000Z-[0-9a-f]{8}$/);
  });

  it('gives distinct run ids for runs that start in the same millisecond', () => {
    const at = new Date('2026-11-25T12:00:00.000Z');

    const ids = new Set(Array.from({ length: 1000 }, () => cryptoIds.runId(at)));

    expect(ids.size).toBe(1000);
  });

  it('gives entry ids that are UUIDs', () => {
    expect(cryptoIds.entryId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
