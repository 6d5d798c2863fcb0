import { beforeEach, describe, expect, it } from 'vitest';
import { EntryAlreadyExistsError, RunNotInProcessError, ValidationError, VersionConflictError } from '../../functions/domain/errors.js';
import type { RunLogEntry } from '../../functions/domain/job-queue-entry.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { RunLogRepository } from '../../functions/ports/run-log-repository.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { rejection } from '../helpers/rejection.js';
import { completeRun, makeRunId, makeRunLogEntry } from '../helpers/run-log-factory.js';

/** Makes an empty repository for one test, deciding expiry with `clock` and keeping rows `retentionDays`. */
export type RunLogRepositoryFactory = (options: { clock: Clock; retentionDays: number }) => Promise<RunLogRepository>;

const DAY_MS = 86_400_000;
const NOW = '2026-06-15T12:00:00.000Z';

/** A row started `minutesAgo` before NOW. */
function runStarted(minutesAgo: number, overrides: Partial<RunLogEntry> = {}): RunLogEntry {
  const startedAt = new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString();
  return makeRunLogEntry({ startedAt, runId: makeRunId(startedAt, minutesAgo), ...overrides });
}

async function readAllPages(repository: RunLogRepository, codeUnit: RunLogEntry['codeUnit'], limit: number) {
  const pages: RunLogEntry[][] = [];
  let cursor: string | null = null;
  do {
    const page = await repository.list(codeUnit, { limit, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

/** The RunLogRepository contract; every adapter must pass it unchanged. */
export function runLogRepositoryContract(adapterName: string, makeRepository: RunLogRepositoryFactory): void {
  describe(`RunLogRepository contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let repository: RunLogRepository;

    beforeEach(async () => {
      clock = new ManualClock(NOW);
      repository = await makeRepository({ clock, retentionDays: 90 });
    });

    it('a started run can be read back by its run id', async () => {
      // Prepare
      const row = runStarted(1);
      // Act
      await repository.start(row);
      // Assess
      expect(await repository.get(row.codeUnit, row.runId)).toStrictEqual(row);
      expect(await repository.get(row.codeUnit, makeRunId(NOW, 999))).toBeUndefined();
      expect(await repository.get('process-upo', row.runId)).toBeUndefined();
    });

    it('starting the same run twice is refused with EntryAlreadyExistsError carrying the first row', async () => {
      // Prepare
      const row = runStarted(1);
      await repository.start(row);
      // Act
      const refusal = await rejection(repository.start({ ...row, trigger: 'manual' }));
      // Assess
      expect(refusal).toBeInstanceOf(EntryAlreadyExistsError);
      expect((refusal as EntryAlreadyExistsError<RunLogEntry>).existing).toEqual(row);
      expect(await repository.get(row.codeUnit, row.runId)).toEqual(row);
    });

    it('a completed run keeps its verdict, end, duration, error and counters', async () => {
      // Prepare
      const row = runStarted(5);
      await repository.start(row);
      const done = completeRun(row, 'Error', 4200, {
        errorMessage: 'KSeF answered 503',
        errorStack: 'Error: KSeF answered 503\n    at send (send.ts:1:1)',
        counters: { sent: 3, rejected: 1 },
      });
      // Act
      const stored = await repository.complete(done);
      // Assess
      expect(stored).toEqual(done);
      expect(await repository.get(row.codeUnit, row.runId)).toStrictEqual(done);
    });

    it('completing a run twice is refused and the first verdict stays', async () => {
      // Prepare
      const row = runStarted(5);
      await repository.start(row);
      const staleVerdict = completeRun(row, 'Error', 600_000, { errorMessage: 'The run outlived its job timeout.' });
      await repository.complete(staleVerdict);
      // Act
      const refusal = await rejection(repository.complete(completeRun(row, 'Success', 700_000)));
      // Assess
      expect(refusal).toBeInstanceOf(RunNotInProcessError);
      expect(refusal).toBeInstanceOf(VersionConflictError);
      expect(refusal).toMatchObject({ runId: row.runId, storedStatus: 'Error', stored: staleVerdict });
      expect(await repository.get(row.codeUnit, row.runId)).toEqual(staleVerdict);
    });

    it('of concurrent completions of one run exactly one is stored', async () => {
      // Prepare
      const row = runStarted(5);
      await repository.start(row);
      const verdicts = Array.from({ length: 6 }, (_, i) => completeRun(row, i % 2 ? 'Success' : 'Error', 1000 + i));
      // Act
      const outcomes = await Promise.allSettled(verdicts.map((verdict) => repository.complete(verdict)));
      // Assess
      const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(winners).toHaveLength(1);
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(losers).toHaveLength(5);
      for (const loser of losers) expect(loser).toBeInstanceOf(RunNotInProcessError);
      expect(await repository.get(row.codeUnit, row.runId)).toEqual(winners[0]);
    });

    it('a row started as Skipped cannot be completed', async () => {
      // Prepare
      const row = runStarted(1, { status: 'Skipped', skipReason: 'The lease is taken by another run.', finishedAt: NOW, durationMs: 0 });
      await repository.start(row);
      // Act
      const refusal = await rejection(repository.complete({ ...row, status: 'Success' }));
      // Assess
      expect(refusal).toBeInstanceOf(RunNotInProcessError);
      expect(await repository.get(row.codeUnit, row.runId)).toEqual(row);
    });

    it('completing a run that never started is refused and stores nothing', async () => {
      // Prepare
      const row = runStarted(1);
      // Act
      const refusal = await rejection(repository.complete(completeRun(row, 'Success')));
      // Assess
      expect(refusal).toBeInstanceOf(RunNotInProcessError);
      expect(refusal).toMatchObject({ storedStatus: null, stored: undefined });
      expect(await repository.get(row.codeUnit, row.runId)).toBeUndefined();
    });

    it('completing a run with the status InProcess is refused as invalid', async () => {
      // Prepare
      const row = runStarted(1);
      await repository.start(row);
      // Act
      const refusal = await rejection(repository.complete({ ...row, finishedAt: NOW }));
      // Assess
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((i) => i.field)).toEqual(['status']);
    });

    it('the log is listed newest first across pages that follow the cursor to the end', async () => {
      // Prepare
      const rows = [30, 5, 600, 1, 90, 2000, 45].map((minutesAgo) => runStarted(minutesAgo));
      for (const row of rows) await repository.start(row);
      const newestFirst = [...rows].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
      // Act
      const pages = await readAllPages(repository, 'send-documents', 3);
      // Assess
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(newestFirst);
    });

    it('a last page that is exactly full has no next cursor', async () => {
      // Prepare
      for (const minutesAgo of [1, 2, 3, 4]) await repository.start(runStarted(minutesAgo));
      // Act
      const first = await repository.list('send-documents', { limit: 2 });
      const second = await repository.list('send-documents', { limit: 2, cursor: first.nextCursor });
      const whole = await repository.list('send-documents', { limit: 4 });
      // Assess
      expect(first.nextCursor).toEqual(expect.any(String));
      expect(second.items).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      expect(whole.nextCursor).toBeNull();
    });

    it('the log of one queue never shows the runs of another', async () => {
      // Prepare
      await repository.start(runStarted(1, { codeUnit: 'process-upo', entryId: 'upo' }));
      await repository.start(runStarted(2, { codeUnit: 'send-documents' }));
      // Act
      const upo = await repository.list('process-upo', { limit: 10 });
      const ledgers = await repository.list('update-ledgers', { limit: 10 });
      // Assess
      expect(upo.items.map((row) => row.entryId)).toEqual(['upo']);
      expect(upo.nextCursor).toBeNull();
      expect(ledgers).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['garbage', 'not a cursor!'],
      ['base64 of something else', Buffer.from('{"hello":1}').toString('base64url')],
      ['base64 of a non-object', Buffer.from('[1,2]').toString('base64url')],
      ['an empty string', ''],
    ])('a malformed cursor (%s) is refused with a ValidationError naming the cursor', async (_label, cursor) => {
      // Prepare
      await repository.start(runStarted(1));
      // Act
      const refusal = await rejection(repository.list('send-documents', { limit: 10, cursor }));
      // Assess
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((i) => i.field)).toEqual(['cursor']);
    });

    it('a cursor of another queue is refused with a ValidationError naming the cursor', async () => {
      // Prepare
      for (const minutesAgo of [1, 2]) await repository.start(runStarted(minutesAgo, { codeUnit: 'process-upo' }));
      const foreign = (await repository.list('process-upo', { limit: 1 })).nextCursor;
      // Act
      const refusal = await rejection(repository.list('send-documents', { limit: 1, cursor: foreign }));
      // Assess
      expect(foreign).toEqual(expect.any(String));
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((i) => i.field)).toEqual(['cursor']);
    });

    it.each([0, 101, 2.5, Number.NaN])('a page limit of %s is refused with a ValidationError naming the limit', async (limit) => {
      // Act
      const refusal = await rejection(repository.list('send-documents', { limit }));
      // Assess
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((i) => i.field)).toEqual(['limit']);
    });

    it('a page may hold up to a hundred rows', async () => {
      // Prepare
      for (let i = 1; i <= 101; i++) await repository.start(runStarted(i));
      // Act
      const page = await repository.list('send-documents', { limit: 100 });
      // Assess
      expect(page.items).toHaveLength(100);
      expect(page.items[0]?.runId).toBe(runStarted(1).runId);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('rows past their retention are hidden from reads and pages, even before TTL deletes them', async () => {
      // Prepare
      const ancient = runStarted(120 * 24 * 60);
      const old = runStarted(89 * 24 * 60);
      const recent = runStarted(10);
      for (const row of [ancient, old, recent]) await repository.start(row);
      // Act
      const before = await readAllPages(repository, 'send-documents', 1);
      clock.advance(2 * DAY_MS);
      const after = await readAllPages(repository, 'send-documents', 1);
      // Assess
      expect(before.flat()).toEqual([recent, old]);
      expect(after.flat()).toEqual([recent]);
      expect(await repository.get('send-documents', ancient.runId)).toBeUndefined();
      expect(await repository.get('send-documents', old.runId)).toBeUndefined();
      expect(await repository.get('send-documents', recent.runId)).toEqual(recent);
    });

    it('a full page is still found behind a run of expired rows in between', async () => {
      // Prepare: rows started 100 days ago are expired; the later ones are not.
      for (let i = 0; i < 3; i++) await repository.start(runStarted(i));
      const expiredRows = Array.from({ length: 5 }, (_, i) => runStarted(100 * 24 * 60 + i));
      for (const row of expiredRows) await repository.start(row);
      // Act
      const first = await repository.list('send-documents', { limit: 2 });
      const second = await repository.list('send-documents', { limit: 2, cursor: first.nextCursor });
      // Assess
      expect(first.items).toHaveLength(2);
      expect(second.items.map((row) => row.runId)).toEqual([runStarted(2).runId]);
      expect(second.nextCursor).toBeNull();
    });

    it('changing a row after handing it over or reading it does not change what is stored', async () => {
      // Prepare
      const row = runStarted(1, { counters: { sent: 1 } });
      const expected = structuredClone(row);
      await repository.start(row);
      // Act
      (row.counters as Record<string, number>).sent = 99;
      const read = await repository.get(row.codeUnit, row.runId);
      (read?.counters as Record<string, number>).sent = 42;
      const listed = await repository.list(row.codeUnit, { limit: 1 });
      (listed.items[0] as { status: string }).status = 'Success';
      // Assess
      expect(await repository.get(row.codeUnit, row.runId)).toEqual(expected);
    });
  });
}
