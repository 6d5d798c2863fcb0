import { describe, expect, it } from 'vitest';
import { placeholderCodeUnit } from '../../helpers/placeholder-code-unit.js';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import {
  EntryNotFoundError,
  IllegalTransitionError,
  RunNotFoundError,
  UnknownCodeUnitError,
  ValidationError,
  VersionConflictError,
} from '../../../functions/domain/errors.js';
import { acquireLease } from '../../../functions/domain/transitions.js';
import {
  deleteEntry,
  ensureEntry,
  getEntryCard,
  getRun,
  listQueues,
  listRuns,
  requestRun,
  setEntryStatus,
  updateEntrySettings,
} from '../../../functions/use-cases/manage-entries.js';
import { makeHarness, START } from './harness.js';

async function running(h: ReturnType<typeof makeHarness>) {
  const { card } = await ensureEntry(h.deps, 'send-documents', 'admin');
  return h.entries.update(acquireLease(card.entry, 'manual', 'run-1', h.clock.now()), card.entry.version);
}

describe('listing queues', () => {
  it('lists all five code units in catalogue order, with a summary where an entry exists', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'process-upo', 'admin');
    // Act
    const queues = await listQueues(h.deps);
    // Assess
    expect(queues.map((q) => q.codeUnit)).toEqual([...CODE_UNIT_IDS]);
    expect(queues[2]).toEqual({
      codeUnit: 'process-upo',
      displayName: 'Process KSeF UPO',
      entry: { description: 'Downloads and stores the official receipts (UPO).', status: 'OnHold', nextRunAt: null, minutesBetweenRuns: 1440 },
    });
    expect(queues.filter((q) => q.entry === null)).toHaveLength(4);
  });
});

describe('creating entries', () => {
  it('creates an OnHold entry with the defaults and a disabled schedule, then returns the same one', async () => {
    // Prepare
    const h = makeHarness();
    // Act
    const first = await ensureEntry(h.deps, 'send-documents', 'alice');
    const second = await ensureEntry(h.deps, 'send-documents', 'bob');
    // Assess
    expect(first.created).toBe(true);
    expect(first.card.entry).toMatchObject({
      status: 'OnHold',
      recurrence: { minutesBetweenRuns: 1440, runOnWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      maxAttempts: 3,
      rerunDelaySeconds: 60,
      createdAt: START,
      updatedBy: 'alice',
      version: 1,
    });
    expect(first.card.schedule?.state).toBe('DISABLED');
    expect(second).toMatchObject({ created: false, card: { entry: { id: first.card.entry.id, updatedBy: 'alice' } } });
  });

  it('concurrent calls end with exactly one entry, which all of them return', async () => {
    // Prepare
    const h = makeHarness();
    // Act
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ensureEntry(h.deps, 'process-sessions', `admin-${i}`)));
    // Assess
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.card.entry.id)).size).toBe(1);
    expect(await h.entries.list()).toHaveLength(1);
  });

  it('an unknown code unit is refused', async () => {
    // Act
    const act = ensureEntry(makeHarness().deps, 'send-everything', 'admin');
    // Assess
    await expect(act).rejects.toBeInstanceOf(UnknownCodeUnitError);
  });
});

describe('the entry card', () => {
  it('shows the entry, the next five runs and the actual schedule', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    await setEntryStatus(h.deps, 'send-documents', 'Ready', 'admin');
    // Act
    const card = await getEntryCard(h.deps, 'send-documents');
    // Assess
    expect(card.codeUnit.id).toBe('send-documents');
    expect(card.nextRuns).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((d) => `${d}T08:00:00.000Z`));
    expect(card.schedule).toMatchObject({ state: 'ENABLED', input: { scheduledFor: START } });
  });

  it('a missing entry is reported as such', async () => {
    // Act
    const act = getEntryCard(makeHarness().deps, 'process-upo');
    // Assess
    await expect(act).rejects.toBeInstanceOf(EntryNotFoundError);
  });
});

describe('editing settings', () => {
  it('a Ready entry gets its next run and schedule recomputed from the new settings', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    await setEntryStatus(h.deps, 'send-documents', 'Ready', 'admin');
    h.clock.advance(60_000);
    // Act: from now on only between 10:00 and 12:00 Warsaw time.
    const card = await updateEntrySettings(h.deps, 'send-documents', { recurrence: { startingTime: '10:00', endingTime: '12:00' } }, 2, 'bob');
    // Assess
    expect(card.entry).toMatchObject({ nextRunAt: '2026-03-02T09:00:00.000Z', version: 3, updatedBy: 'bob' });
    expect(card.schedule).toMatchObject({ state: 'ENABLED', input: { scheduledFor: '2026-03-02T09:00:00.000Z' } });
  });

  it('bad settings are refused naming each bad field', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    // Act
    const act = updateEntrySettings(h.deps, 'send-documents', { maxAttempts: 0, recurrence: { startingTime: '25:00' } }, undefined, 'admin');
    // Assess
    await expect(act).rejects.toBeInstanceOf(ValidationError);
    await expect(act).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ field: 'maxAttempts' }), expect.objectContaining({ field: 'recurrence.startingTime' })]) });
  });

  it('an edit of an outdated version is refused', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    await updateEntrySettings(h.deps, 'send-documents', { description: 'first' }, 1, 'alice');
    // Act
    const act = updateEntrySettings(h.deps, 'send-documents', { description: 'second' }, 1, 'bob');
    // Assess
    await expect(act).rejects.toBeInstanceOf(VersionConflictError);
    expect((await h.entry()).description).toBe('first');
  });

  it('settings cannot change while the entry runs', async () => {
    // Prepare
    const h = makeHarness();
    await running(h);
    // Act
    const act = updateEntrySettings(h.deps, 'send-documents', { description: 'x' }, undefined, 'admin');
    // Assess
    await expect(act).rejects.toBeInstanceOf(IllegalTransitionError);
  });
});

describe('setting the status', () => {
  it('the schedule is enabled exactly while the entry is Ready', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    const states: (string | undefined)[] = [];
    // Act
    for (const status of ['Ready', 'OnHold', 'Ready'] as const) {
      await setEntryStatus(h.deps, 'send-documents', status, 'admin');
      states.push((await h.schedules.get('send-documents'))?.state);
    }
    // Assess
    expect(states).toEqual(['ENABLED', 'DISABLED', 'ENABLED']);
  });

  it.each([['Error'], ['InProcess'], ['ready'], [42], [undefined]])('the status %j is refused naming the field', async (status) => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    // Act
    const act = setEntryStatus(h.deps, 'send-documents', status, 'admin');
    // Assess
    await expect(act).rejects.toMatchObject({ issues: [{ field: 'status', reason: 'must be one of "Ready", "OnHold"' }] });
  });

  it('OnHold for a running entry disables its schedule at once and is applied when the run ends', async () => {
    // Prepare
    const h = makeHarness();
    await running(h);
    // Act
    const card = await setEntryStatus(h.deps, 'send-documents', 'OnHold', 'admin');
    // Assess
    expect(card.entry).toMatchObject({ status: 'InProcess', nextRunAt: null, lease: { previousStatus: 'OnHold' } });
    expect(card.schedule?.state).toBe('DISABLED');
  });

  it('Ready for a running entry that returns to OnHold is refused', async () => {
    // Prepare
    const h = makeHarness();
    await running(h);
    // Act
    const act = setEntryStatus(h.deps, 'send-documents', 'Ready', 'admin');
    // Assess
    await expect(act).rejects.toBeInstanceOf(IllegalTransitionError);
  });
});

describe('running now', () => {
  it('launches a manual run for the entry and answers with its run id', async () => {
    // Prepare
    const h = makeHarness();
    const { card } = await ensureEntry(h.deps, 'send-documents', 'admin');
    // Act
    const { runId } = await requestRun(h.deps, 'send-documents', 'alice');
    // Assess
    expect(h.launcher.launched).toEqual([{ codeUnit: 'send-documents', entryId: card.entry.id, trigger: 'manual', runId, requestedBy: 'alice' }]);
  });

  it('a manual run through the in-process launcher shows up in the run log under the id it was given', async () => {
    // Prepare
    const h = makeHarness();
    const launcher = h.inProcessLauncher(placeholderCodeUnit);
    const deps = { ...h.deps, launcher };
    await ensureEntry(deps, 'process-upo', 'admin');
    // Act
    const { runId } = await requestRun(deps, 'process-upo', 'alice');
    await launcher.idle();
    // Assess
    expect(await getRun(deps, 'process-upo', runId)).toMatchObject({ status: 'Success', trigger: 'manual', counters: { checked: 0 } });
    expect((await h.entry('process-upo')).status).toBe('OnHold');
  });

  it('a run cannot be requested for a missing entry', async () => {
    // Prepare
    const h = makeHarness();
    // Act
    const act = requestRun(h.deps, 'send-documents', 'alice');
    // Assess
    await expect(act).rejects.toBeInstanceOf(EntryNotFoundError);
    expect(h.launcher.launched).toEqual([]);
  });
});

describe('reading the run log', () => {
  it('pages newest first with 20 rows by default and passes the cursor on', async () => {
    // Prepare
    const h = makeHarness();
    const launcher = h.inProcessLauncher(placeholderCodeUnit);
    const deps = { ...h.deps, launcher };
    await ensureEntry(deps, 'send-documents', 'admin');
    for (let i = 0; i < 25; i += 1) {
      await requestRun(deps, 'send-documents', 'admin');
      await launcher.idle();
      h.clock.advance(1000);
    }
    // Act
    const first = await listRuns(deps, 'send-documents', {});
    const second = await listRuns(deps, 'send-documents', { limit: '20', cursor: first.nextCursor });
    // Assess
    expect(first.items).toHaveLength(20);
    expect(first.items[0]?.startedAt).toBe('2026-03-02T08:00:24.000Z');
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
  });

  it.each([[0], [101], [2.5], ['ten'], [-1]])('the limit %j is refused', async (limit) => {
    // Act
    const act = listRuns(makeHarness().deps, 'send-documents', { limit });
    // Assess
    await expect(act).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'limit' })] });
  });

  it('a run that is not in the log is reported as not found', async () => {
    // Act
    const act = getRun(makeHarness().deps, 'send-documents', 'nope');
    // Assess
    await expect(act).rejects.toBeInstanceOf(RunNotFoundError);
  });
});

describe('deleting entries', () => {
  it('deletes the entry and removes its schedule', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    await setEntryStatus(h.deps, 'send-documents', 'Ready', 'admin');
    // Act
    await deleteEntry(h.deps, 'send-documents', 'admin', 2);
    // Assess
    expect(await h.entries.get('send-documents')).toBeUndefined();
    expect(await h.schedules.get('send-documents')).toBeUndefined();
  });

  it('is refused while the entry runs', async () => {
    // Prepare
    const h = makeHarness();
    await running(h);
    // Act
    const act = deleteEntry(h.deps, 'send-documents', 'admin');
    // Assess
    await expect(act).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await h.entries.get('send-documents')).toBeDefined();
  });

  it('is refused for an outdated version', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    // Act
    const act = deleteEntry(h.deps, 'send-documents', 'admin', 7);
    // Assess
    await expect(act).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('a failed schedule removal still deletes the entry and leaves an orphan for the reconciler', async () => {
    // Prepare
    const h = makeHarness();
    await ensureEntry(h.deps, 'send-documents', 'admin');
    h.schedules.remove = async () => {
      throw new Error('scheduler unavailable');
    };
    // Act
    await deleteEntry(h.deps, 'send-documents', 'admin');
    // Assess
    expect(await h.entries.get('send-documents')).toBeUndefined();
    expect(await h.schedules.get('send-documents')).toBeDefined();
  });
});
