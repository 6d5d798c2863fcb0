import { beforeEach, describe, expect, it } from 'vitest';
import { EntryAlreadyExistsError, VersionConflictError } from '../../functions/domain/errors.js';
import type { JobQueueEntry } from '../../functions/domain/job-queue-entry.js';
import type { EntryRepository } from '../../functions/ports/entry-repository.js';
import { makeEntry } from '../helpers/entry-factory.js';

/** Makes an empty repository for one test. */
export type EntryRepositoryFactory = () => Promise<EntryRepository>;

/** The EntryRepository contract; every adapter must pass it unchanged. */
export function entryRepositoryContract(adapterName: string, makeRepository: EntryRepositoryFactory): void {
  describe(`EntryRepository contract: ${adapterName}`, () => {
    let repository: EntryRepository;

    beforeEach(async () => {
      repository = await makeRepository();
    });

    it('an entry that was created can be read back unchanged', async () => {
      // Prepare
      const entry = makeEntry({ codeUnit: 'process-upo', id: 'e-1', description: 'UPO queue' });
      // Act
      const created = await repository.create(entry);
      const read = await repository.get('process-upo');
      // Assess
      expect(created).toEqual(entry);
      expect(read).toEqual(entry);
    });

    it('a code unit without an entry reads as undefined', async () => {
      // Act
      const read = await repository.get('update-ledgers');
      // Assess
      expect(read).toBeUndefined();
    });

    it('every field of a busy entry survives the round trip, nulls and empty lists included', async () => {
      // Prepare
      const entry = makeEntry({
        status: 'InProcess',
        recurrence: { minutesBetweenRuns: 15, runOnWeekdays: ['mon', 'fri'], startingTime: '22:00', endingTime: '06:00' },
        earliestStartAt: '2026-03-01T00:00:00.000Z',
        expiresAt: null,
        notificationRecipients: [{ email: 'oncall@example.com', language: 'pl' }],
        nextRunAt: '2026-03-02T09:00:00.000Z',
        nextRunTrigger: 'retry',
        attemptsMade: 2,
        lease: {
          runId: '20260302T080000000Z-0000000a',
          trigger: 'retry',
          attempt: 3,
          startedAt: '2026-03-02T08:00:00.000Z',
          expiresAt: '2026-03-02T08:10:00.000Z',
          previousStatus: 'Ready',
        },
        lastRun: { runId: '20260302T070000000Z-00000009', status: 'Error', finishedAt: '2026-03-02T07:00:05.000Z', errorMessage: 'KSeF said no' },
        description: '',
      });
      // Act
      await repository.create(entry);
      const read = await repository.get(entry.codeUnit);
      // Assess
      expect(read).toStrictEqual(entry);
    });

    it('a second create is refused with EntryAlreadyExistsError carrying the first entry', async () => {
      // Prepare
      const first = makeEntry({ id: 'first', description: 'first' });
      await repository.create(first);
      // Act
      const refusal = await repository.create(makeEntry({ id: 'second', description: 'second' })).catch((error: unknown) => error);
      // Assess
      expect(refusal).toBeInstanceOf(EntryAlreadyExistsError);
      expect((refusal as EntryAlreadyExistsError<JobQueueEntry>).existing).toEqual(first);
      expect(await repository.get(first.codeUnit)).toEqual(first);
    });

    it('of ten concurrent creates for one code unit exactly one wins and the others see the winner', async () => {
      // Prepare
      const candidates = Array.from({ length: 10 }, (_, i) => makeEntry({ codeUnit: 'process-sessions', id: `candidate-${i}` }));
      // Act
      const outcomes = await Promise.allSettled(candidates.map((entry) => repository.create(entry)));
      // Assess
      const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const loser of losers) {
        expect(loser).toBeInstanceOf(EntryAlreadyExistsError);
        expect((loser as EntryAlreadyExistsError<JobQueueEntry>).existing).toEqual(winners[0]);
      }
      expect(await repository.get('process-sessions')).toEqual(winners[0]);
    });

    it('an update with the stored version stores the entry with its version increased by one', async () => {
      // Prepare
      const entry = makeEntry({ version: 1 });
      await repository.create(entry);
      // Act
      const updated = await repository.update({ ...entry, status: 'Ready', description: 'changed' }, 1);
      // Assess
      expect(updated).toEqual({ ...entry, status: 'Ready', description: 'changed', version: 2 });
      expect(await repository.get(entry.codeUnit)).toEqual(updated);
    });

    it('an update with a stale version is refused with a VersionConflictError naming the stored version', async () => {
      // Prepare
      const entry = makeEntry({ version: 1 });
      await repository.create(entry);
      const current = await repository.update({ ...entry, description: 'second writer' }, 1);
      // Act
      const refusal = await repository.update({ ...entry, description: 'late writer' }, 1).catch((error: unknown) => error);
      // Assess
      expect(refusal).toBeInstanceOf(VersionConflictError);
      expect(refusal).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(await repository.get(entry.codeUnit)).toEqual(current);
    });

    it('an update of an entry that does not exist is refused with a VersionConflictError finding none', async () => {
      // Act
      const refusal = await repository.update(makeEntry({ codeUnit: 'process-upo' }), 1).catch((error: unknown) => error);
      // Assess
      expect(refusal).toBeInstanceOf(VersionConflictError);
      expect(refusal).toMatchObject({ expectedVersion: 1, actualVersion: null });
      expect(await repository.get('process-upo')).toBeUndefined();
    });

    it('an update meant for a deleted entry cannot overwrite its re-created successor at the same version', async () => {
      // Prepare
      const old = makeEntry({ id: 'old', version: 1 });
      await repository.create(old);
      await repository.delete(old.codeUnit, 1);
      const successor = makeEntry({ id: 'new', version: 1 });
      await repository.create(successor);
      // Act
      const refusal = await repository.update({ ...old, status: 'Ready' }, 1).catch((error: unknown) => error);
      // Assess
      expect(refusal).toBeInstanceOf(VersionConflictError);
      expect(await repository.get(old.codeUnit)).toEqual(successor);
    });

    it('of ten concurrent updates with the same expected version exactly one wins', async () => {
      // Prepare
      const entry = makeEntry({ version: 4 });
      await repository.create(entry);
      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => repository.update({ ...entry, description: `writer ${i}` }, 4)),
      );
      // Assess
      const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(winners[0]?.version).toBe(5);
      expect(losers).toHaveLength(9);
      for (const loser of losers) expect(loser).toMatchObject({ expectedVersion: 4, actualVersion: 5 });
      expect(await repository.get(entry.codeUnit)).toEqual(winners[0]);
    });

    it('a delete with a wrong version is refused and leaves the entry in place', async () => {
      // Prepare
      const entry = makeEntry({ version: 3 });
      await repository.create(entry);
      // Act
      const refusal = await repository.delete(entry.codeUnit, 2).catch((error: unknown) => error);
      // Assess
      expect(refusal).toBeInstanceOf(VersionConflictError);
      expect(refusal).toMatchObject({ expectedVersion: 2, actualVersion: 3 });
      expect(await repository.get(entry.codeUnit)).toEqual(entry);
    });

    it('a delete with the stored version removes the entry, and a second delete finds nothing', async () => {
      // Prepare
      const entry = makeEntry({ version: 3 });
      await repository.create(entry);
      // Act
      await repository.delete(entry.codeUnit, 3);
      const again = await repository.delete(entry.codeUnit, 3).catch((error: unknown) => error);
      // Assess
      expect(await repository.get(entry.codeUnit)).toBeUndefined();
      expect(again).toBeInstanceOf(VersionConflictError);
      expect(again).toMatchObject({ expectedVersion: 3, actualVersion: null });
    });

    it('the list holds every stored entry once, in catalogue order', async () => {
      // Prepare
      const upo = makeEntry({ codeUnit: 'process-upo', id: 'u' });
      const incoming = makeEntry({ codeUnit: 'incoming-documents', id: 'i' });
      const send = makeEntry({ codeUnit: 'send-documents', id: 's' });
      for (const entry of [upo, incoming, send]) await repository.create(entry);
      // Act
      const listed = await repository.list();
      // Assess
      expect(listed).toEqual([send, upo, incoming]);
    });

    it('the list of an empty repository is empty', async () => {
      // Act
      const listed = await repository.list();
      // Assess
      expect(listed).toEqual([]);
    });

    it('changing an entry after handing it over or reading it does not change what is stored', async () => {
      // Prepare
      const entry = makeEntry({ notificationRecipients: [{ email: 'a@example.com', language: 'en' }] });
      const expected = structuredClone(entry);
      const created = await repository.create(entry);
      // Act
      (entry.recurrence.runOnWeekdays as string[]).pop();
      (created.notificationRecipients as unknown[]).length = 0;
      const read = await repository.get(entry.codeUnit);
      (read as { description: string }).description = 'mutated';
      (((await repository.list())[0]?.recurrence) as { minutesBetweenRuns: number }).minutesBetweenRuns = 1;
      // Assess
      expect(await repository.get(entry.codeUnit)).toEqual(expected);
    });
  });
}
