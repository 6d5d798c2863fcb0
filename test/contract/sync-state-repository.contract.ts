import { beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../functions/domain/errors.js';
import type { SyncStateRepository, SyncStreamId } from '../../functions/ports/sync-state-repository.js';

export type SyncStateRepositoryFactory = () => Promise<SyncStateRepository>;

const PURCHASES: SyncStreamId = { purpose: 'incoming-documents', subjectType: 'Subject2' };
const SALES: SyncStreamId = { purpose: 'ledger-reconciliation', subjectType: 'Subject1' };

/** The SyncStateRepository contract; every adapter must pass it unchanged. */
export function syncStateRepositoryContract(adapterName: string, makeRepository: SyncStateRepositoryFactory): void {
  describe(`SyncStateRepository contract: ${adapterName}`, () => {
    let repo: SyncStateRepository;

    beforeEach(async () => {
      repo = await makeRepository();
    });

    it('a stream that never advanced has no mark', async () => {
      // Act
      const state = await repo.get(PURCHASES);
      // Assess
      expect(state).toBeUndefined();
    });

    it('the first advance stores the mark as KSeF gave it, at version 1', async () => {
      // Act
      const written = await repo.advance(PURCHASES, '2026-03-02T09:00:00.1234567+00:00', '2026-03-02T09:05:00.000Z', 0);
      // Assess
      const expected = { purpose: 'incoming-documents', subjectType: 'Subject2', mark: '2026-03-02T09:00:00.1234567+00:00', updatedAt: '2026-03-02T09:05:00.000Z', version: 1 };
      expect(written).toEqual(expected);
      expect(await repo.get(PURCHASES)).toEqual(expected);
    });

    it('each stream keeps its own mark', async () => {
      // Prepare
      await repo.advance(PURCHASES, '2026-03-02T09:00:00Z', '2026-03-02T09:05:00.000Z', 0);
      // Act
      await repo.advance(SALES, '2026-01-01T00:00:00Z', '2026-03-02T09:06:00.000Z', 0);
      // Assess
      expect((await repo.get(PURCHASES))?.mark).toBe('2026-03-02T09:00:00Z');
      expect((await repo.get(SALES))?.mark).toBe('2026-01-01T00:00:00Z');
      expect(await repo.get({ purpose: 'incoming-documents', subjectType: 'Subject1' })).toBeUndefined();
    });

    it('advancing from the stored version moves the mark and the version on', async () => {
      // Prepare
      await repo.advance(PURCHASES, '2026-03-02T09:00:00Z', '2026-03-02T09:05:00.000Z', 0);
      // Act
      const next = await repo.advance(PURCHASES, '2026-03-02T10:00:00Z', '2026-03-02T10:05:00.000Z', 1);
      // Assess
      expect(next.version).toBe(2);
      expect(await repo.get(PURCHASES)).toEqual(next);
    });

    it('advancing from an outdated version is refused and leaves the mark alone', async () => {
      // Prepare
      await repo.advance(PURCHASES, '2026-03-02T09:00:00Z', '2026-03-02T09:05:00.000Z', 0);
      await repo.advance(PURCHASES, '2026-03-02T10:00:00Z', '2026-03-02T10:05:00.000Z', 1);
      // Act
      const stale = repo.advance(PURCHASES, '2026-03-02T09:30:00Z', '2026-03-02T10:06:00.000Z', 1);
      const again = repo.advance(PURCHASES, '2026-03-02T09:30:00Z', '2026-03-02T10:06:00.000Z', 0);
      // Assess
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(again).rejects.toBeInstanceOf(VersionConflictError);
      expect((await repo.get(PURCHASES))?.mark).toBe('2026-03-02T10:00:00Z');
    });

    it('of two concurrent advances from one version exactly one wins', async () => {
      // Prepare
      await repo.advance(SALES, '2026-03-01T00:00:00Z', '2026-03-02T09:05:00.000Z', 0);
      // Act
      const results = await Promise.allSettled([
        repo.advance(SALES, '2026-03-02T00:00:00Z', '2026-03-02T09:06:00.000Z', 1),
        repo.advance(SALES, '2026-03-03T00:00:00Z', '2026-03-02T09:06:00.000Z', 1),
      ]);
      // Assess
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await repo.get(SALES))?.version).toBe(2);
    });
  });
}
