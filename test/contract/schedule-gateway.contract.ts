import { beforeEach, describe, expect, it } from 'vitest';
import type { CodeUnitId } from '../../functions/domain/catalogue.js';
import type { DesiredSchedule, ScheduleGateway } from '../../functions/ports/schedule-gateway.js';

/** Makes a gateway over an empty schedule group for one test. */
export type ScheduleGatewayFactory = () => Promise<ScheduleGateway>;

export function makeDesiredSchedule(codeUnit: CodeUnitId, overrides: Partial<DesiredSchedule> = {}): DesiredSchedule {
  return {
    codeUnit,
    state: 'ENABLED',
    expression: 'at(2026-03-02T10:00:00)',
    timeZone: 'Europe/Warsaw',
    input: { codeUnit, entryId: `entry-${codeUnit}`, trigger: 'schedule', scheduledFor: '2026-03-02T09:00:00.000Z' },
    ...overrides,
  };
}

/** The ScheduleGateway contract; every adapter must pass it unchanged. */
export function scheduleGatewayContract(adapterName: string, makeGateway: ScheduleGatewayFactory): void {
  describe(`ScheduleGateway contract: ${adapterName}`, () => {
    let gateway: ScheduleGateway;

    beforeEach(async () => {
      gateway = await makeGateway();
    });

    it('a schedule that was put can be read back under its code unit name', async () => {
      // Prepare
      const desired = makeDesiredSchedule('send-documents');
      // Act
      await gateway.put(desired);
      const actual = await gateway.get('send-documents');
      // Assess
      expect(actual).toEqual({ ...desired, name: 'send-documents' });
    });

    it('putting a schedule again replaces its expression, zone, state and input', async () => {
      // Prepare
      await gateway.put(makeDesiredSchedule('process-upo'));
      const replacement = makeDesiredSchedule('process-upo', {
        state: 'DISABLED',
        expression: 'at(2026-10-25T01:30:00)',
        timeZone: 'UTC',
        input: { codeUnit: 'process-upo', entryId: 'entry-process-upo', trigger: 'retry', scheduledFor: '2026-10-25T01:30:00.000Z' },
      });
      // Act
      await gateway.put(replacement);
      // Assess
      expect(await gateway.get('process-upo')).toEqual({ ...replacement, name: 'process-upo' });
      expect(await gateway.list()).toHaveLength(1);
    });

    it('both states round-trip: a disabled schedule reads as disabled and an enabled one as enabled', async () => {
      // Act
      await gateway.put(makeDesiredSchedule('update-ledgers', { state: 'DISABLED' }));
      await gateway.put(makeDesiredSchedule('incoming-documents', { state: 'ENABLED' }));
      // Assess
      expect((await gateway.get('update-ledgers'))?.state).toBe('DISABLED');
      expect((await gateway.get('incoming-documents'))?.state).toBe('ENABLED');
    });

    it('the input the code unit will receive round-trips exactly', async () => {
      // Prepare
      const input = { codeUnit: 'process-sessions', entryId: 'Zażółć-gęślą-jaźń-42', trigger: 'retry', scheduledFor: '2026-03-29T01:00:00.000Z' } as const;
      // Act
      await gateway.put(makeDesiredSchedule('process-sessions', { input }));
      // Assess
      expect((await gateway.get('process-sessions'))?.input).toEqual(input);
    });

    it('a code unit without a schedule reads as undefined', async () => {
      // Act
      const actual = await gateway.get('process-upo');
      // Assess
      expect(actual).toBeUndefined();
    });

    it('list returns every schedule that was put, and only those', async () => {
      // Prepare
      await gateway.put(makeDesiredSchedule('send-documents'));
      await gateway.put(makeDesiredSchedule('update-ledgers', { state: 'DISABLED' }));
      // Act
      const listed = await gateway.list();
      // Assess
      expect(listed.map((schedule) => schedule.codeUnit).sort()).toEqual(['send-documents', 'update-ledgers']);
      expect(listed.find((schedule) => schedule.codeUnit === 'update-ledgers')).toEqual({
        ...makeDesiredSchedule('update-ledgers', { state: 'DISABLED' }),
        name: 'update-ledgers',
      });
    });

    it('an empty group lists no schedules', async () => {
      // Act
      const listed = await gateway.list();
      // Assess
      expect(listed).toEqual([]);
    });

    it('remove deletes the schedule, and removing it again or removing an unknown one is not an error', async () => {
      // Prepare
      await gateway.put(makeDesiredSchedule('incoming-documents'));
      // Act
      await gateway.remove('incoming-documents');
      await gateway.remove('incoming-documents');
      await gateway.remove('process-sessions');
      // Assess
      expect(await gateway.get('incoming-documents')).toBeUndefined();
      expect(await gateway.list()).toEqual([]);
    });

    it('a schedule can be put again after it was removed', async () => {
      // Prepare
      await gateway.put(makeDesiredSchedule('send-documents'));
      await gateway.remove('send-documents');
      // Act
      await gateway.put(makeDesiredSchedule('send-documents', { state: 'DISABLED' }));
      // Assess
      expect((await gateway.get('send-documents'))?.state).toBe('DISABLED');
    });

    it('concurrent puts for one code unit end in exactly one schedule holding one of the written versions', async () => {
      // Prepare
      const versions = Array.from({ length: 6 }, (_, i) =>
        makeDesiredSchedule('process-sessions', {
          expression: `at(2026-03-02T1${i}:00:00)`,
          input: { codeUnit: 'process-sessions', entryId: 'entry-process-sessions', trigger: 'schedule', scheduledFor: `2026-03-02T0${i}:00:00.000Z` },
        }),
      );
      // Act
      await Promise.all(versions.map((version) => gateway.put(version)));
      // Assess
      const listed = await gateway.list();
      expect(listed).toHaveLength(1);
      const { name, ...stored } = listed[0] ?? { name: '' };
      expect(name).toBe('process-sessions');
      expect(versions).toContainEqual(stored);
    });
  });
}
