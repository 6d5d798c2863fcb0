import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, VersionConflictError } from '../../functions/domain/errors.js';
import type { KsefSessionRecord, KsefSessionRepository } from '../../functions/ports/ksef-session-repository.js';

export type KsefSessionRepositoryFactory = () => Promise<KsefSessionRepository>;

export function makeSessionRecord(id: string, overrides: Partial<KsefSessionRecord> = {}): KsefSessionRecord {
  return {
    id,
    kind: 'Online',
    referenceNumber: id,
    documentIds: ['doc-1', 'doc-2'],
    openedAt: '2026-02-02T08:00:00.000Z',
    closedAt: null,
    status: null,
    settled: false,
    upoPages: null,
    invoiceUposDone: false,
    updatedAt: '2026-02-02T08:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The KsefSessionRepository contract; every adapter must pass it unchanged. */
export function ksefSessionRepositoryContract(adapterName: string, makeRepository: KsefSessionRepositoryFactory): void {
  describe(`KsefSessionRepository contract: ${adapterName}`, () => {
    let repo: KsefSessionRepository;

    beforeEach(async () => {
      repo = await makeRepository();
    });

    it('a created record reads back as version 1 and a second create of its id is a conflict carrying the stored one', async () => {
      // Prepare
      const record = makeSessionRecord('20260202-SO-0000000001-0000000001-01');
      // Act
      const created = await repo.create(record);
      const second = repo.create({ ...record, documentIds: [] });
      // Assess
      expect(created).toEqual(record);
      expect(await repo.get(record.id)).toEqual(record);
      await expect(second).rejects.toSatisfy((e) => e instanceof ConflictError && (e.existing as KsefSessionRecord).documentIds.length === 2);
      expect(await repo.get('unknown')).toBeUndefined();
    });

    it('an update with the stored version wins once; the stale one is a version conflict', async () => {
      // Prepare
      const created = await repo.create(makeSessionRecord('s-1'));
      // Act
      const updated = await repo.update({ ...created, closedAt: '2026-02-02T08:05:00.000Z' }, created.version);
      const stale = repo.update({ ...created, closedAt: '2026-02-02T09:00:00.000Z' }, created.version);
      // Assess
      expect(updated.version).toBe(2);
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      expect(await repo.get('s-1')).toMatchObject({ closedAt: '2026-02-02T08:05:00.000Z', version: 2 });
    });

    it('an update of a record that was never created is a version conflict', async () => {
      await expect(repo.update(makeSessionRecord('ghost'), 1)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('lists only unfinished sessions, oldest first, and drops one once it is settled with its UPOs stored', async () => {
      // A failed session (445) is unfinished while its Accepted documents (440 duplicates) wait for their UPOs.
      // Prepare
      await repo.create(makeSessionRecord('b', { openedAt: '2026-02-02T09:00:00.000Z' }));
      const a = await repo.create(makeSessionRecord('a', { openedAt: '2026-02-02T10:00:00.000Z' }));
      await repo.create(makeSessionRecord('c', { openedAt: '2026-02-02T08:00:00.000Z', settled: true, status: { code: 445, description: 'no valid invoices' }, invoiceUposDone: true }));
      await repo.create(makeSessionRecord('e', { openedAt: '2026-02-02T08:30:00.000Z', settled: true, status: { code: 445, description: 'no valid invoices' } }));
      await repo.create(makeSessionRecord('f', { openedAt: '2026-02-02T06:00:00.000Z', referenceNumber: null, settled: true, status: { code: 0, description: 'never opened' } }));
      const d = await repo.create(makeSessionRecord('d', { openedAt: '2026-02-02T07:00:00.000Z', settled: true, status: { code: 200, description: 'ok' } }));
      // Act
      const before = (await repo.listUnfinished()).map((r) => r.id);
      await repo.update({ ...a, settled: true, status: { code: 200, description: 'ok' }, upoPages: 1, invoiceUposDone: true }, a.version);
      await repo.update({ ...d, upoPages: 1 }, d.version);
      const after = (await repo.listUnfinished()).map((r) => r.id);
      // Assess
      expect(before).toEqual(['d', 'e', 'b', 'a']);
      expect(after).toEqual(['d', 'e', 'b']);
      expect(await repo.get('a')).toMatchObject({ upoPages: 1, settled: true, version: 2 });
    });
  });
}
