import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { CODE_UNIT_IDS, type CodeUnitId } from '../../functions/domain/catalogue.js';
import type { CodeUnit } from '../../functions/ports/code-unit.js';
import { ensureEntry, listRuns, setEntryStatus } from '../../functions/use-cases/manage-entries.js';
import { LOCAL_CODE_UNIT_ARNS, LOCAL_SCHEDULE_GROUP, LOCAL_SCHEDULER_ROLE_ARN } from '../../functions/wiring/local-names.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/wiring/local.js';
import { makeLocalConfig } from '../helpers/local-config.js';
import { placeholderCodeUnit } from '../helpers/placeholder-code-unit.js';
import { RecordingLogger } from '../helpers/recording-logger.js';

/*
 * Local mode calls the Lambda handlers of functions/handlers, as the Scheduler and Lambda would:
 * what only a handler does (the trigger schema, the invocation's request id in the log, the
 * watchdog's metrics) shows in local mode too.
 */

let runtime: LocalRuntime;
let clock: ManualClock;
const logger = new RecordingLogger();

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-25T09:00:20.000Z'));
  const codeUnits = Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, placeholderCodeUnit(id)])) as Record<CodeUnitId, CodeUnit>;
  runtime = await startLocalRuntime(makeLocalConfig(), { clock, timers: 'manual', inMemory: true, env: {}, codeUnits, logger });
});

afterAll(async () => {
  await runtime?.close();
});

describe('local mode invokes the same handlers as Lambda', () => {
  it('a schedule fires the code unit\'s handler: the run is logged with its keys and the invocation\'s request id, and measured', async () => {
    // Prepare
    await ensureEntry(runtime.deps, 'process-upo', 'admin');
    const card = await setEntryStatus(runtime.deps, 'process-upo', 'Ready', 'admin');
    // Act
    await runtime.scheduler.advanceTo(new Date(card.entry.nextRunAt ?? ''));
    await runtime.idle();
    // Assess
    const [row] = (await listRuns(runtime.deps, 'process-upo', {})).items;
    expect(row).toMatchObject({ status: 'Success', trigger: 'schedule' });
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'Run finished.',
      attributes: expect.objectContaining({ codeUnit: 'process-upo', runId: row?.runId, attempt: 1, trigger: 'schedule', requestId: expect.any(String) }),
    });
    expect(runtime.metrics.points('Runs')).toContainEqual({ name: 'Runs', unit: 'Count', value: 1, dimensions: { Queue: 'process-upo', Outcome: 'Success' } });
  });

  it('a schedule whose input is not a trigger is refused by the handler\'s schema, and runs nothing', async () => {
    // Prepare
    await runtime.scheduler.createClient().send(
      new CreateScheduleCommand({
        Name: 'not-a-trigger',
        GroupName: LOCAL_SCHEDULE_GROUP,
        ScheduleExpression: `at(${new Date(clock.now().getTime() + 60_000).toISOString().slice(0, 19)})`,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: LOCAL_CODE_UNIT_ARNS['update-ledgers'], RoleArn: LOCAL_SCHEDULER_ROLE_ARN, Input: JSON.stringify({ codeUnit: 'update-ledgers', trigger: 'schedule' }) },
      }),
    );
    // Act
    await runtime.scheduler.advanceTo(new Date(clock.now().getTime() + 120_000));
    await runtime.idle();
    // Assess
    const failed = logger.lines.find((line) => line.level === 'error' && line.message === 'The invocation of update-ledgers failed.');
    expect(String((failed?.attributes.error as Error | undefined)?.message)).toMatch(/"path": \[\s*"entryId"\s*\]/);
    expect((await listRuns(runtime.deps, 'update-ledgers', {})).items).toEqual([]);
  });

  it('the watchdog\'s handler publishes the entries in Error and the documents waiting in each non-final status', async () => {
    // Act
    const report = await runtime.reconcile();
    // Assess
    expect(report).toMatchObject({ entriesInError: 0 });
    expect(runtime.metrics.points('EntriesInError').at(-1)).toMatchObject({ value: 0 });
    expect(runtime.metrics.points('DocumentsInStatus').slice(-4)).toEqual(
      ['Pending', 'Held', 'Sending', 'Sent'].map((status) => ({ name: 'DocumentsInStatus', unit: 'Count', value: 0, dimensions: { Status: status } })),
    );
  });
});
