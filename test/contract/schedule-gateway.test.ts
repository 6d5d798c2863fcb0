import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CODE_UNIT_IDS, type CodeUnitId } from '../../functions/domain/catalogue.js';
import { EventBridgeScheduleGateway, type EventBridgeScheduleGatewayConfig } from '../../functions/adapters/aws/eventbridge-schedule-gateway.js';
import { ScheduleGatewayError, ScheduleRejectedError } from '../../functions/adapters/aws/schedule-gateway-error.js';
import { ManualClock } from '../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { type SchedulerEmulator, startSchedulerEmulator } from '../../functions/adapters/local/scheduler-emulator/scheduler-emulator.js';
import { makeDesiredSchedule, scheduleGatewayContract } from './schedule-gateway.contract.js';

let emulator: SchedulerEmulator;
let client: SchedulerClient;
let groups = 0;
const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));

const targetArns = Object.fromEntries(
  CODE_UNIT_IDS.map((id) => [id, `arn:aws:lambda:eu-central-1:000000000000:function:ksef-${id}`]),
) as Record<CodeUnitId, string>;

function config(groupName: string): EventBridgeScheduleGatewayConfig {
  return {
    groupName,
    roleArn: 'arn:aws:iam::000000000000:role/ksef-scheduler',
    deadLetterArn: 'arn:aws:sqs:eu-central-1:000000000000:ksef-schedule-dlq',
    targetArns,
  };
}

async function newGroup(): Promise<string> {
  const groupName = `ksef-jobs-${++groups}`;
  await client.send(new CreateScheduleGroupCommand({ Name: groupName }));
  return groupName;
}

beforeAll(async () => {
  emulator = await startSchedulerEmulator({ clock, timers: 'manual' });
  client = emulator.createClient();
});

afterAll(async () => {
  await emulator?.close();
});

scheduleGatewayContract('EventBridgeScheduleGateway on the local Scheduler emulator', async () => new EventBridgeScheduleGateway(client, config(await newGroup())));

describe('EventBridgeScheduleGateway on the local Scheduler emulator', () => {
  it('a put writes the schedule AWS needs: its own function, role, retry policy, dead-letter queue, no flexible window, kept after firing', async () => {
    // Prepare
    const groupName = await newGroup();
    const gateway = new EventBridgeScheduleGateway(client, config(groupName));
    const desired = makeDesiredSchedule('process-upo');
    // Act
    await gateway.put(desired);
    const raw = await client.send(new GetScheduleCommand({ Name: 'process-upo', GroupName: groupName }));
    // Assess
    expect(raw).toMatchObject({
      Name: 'process-upo',
      GroupName: groupName,
      ScheduleExpression: desired.expression,
      ScheduleExpressionTimezone: 'Europe/Warsaw',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: targetArns['process-upo'],
        RoleArn: 'arn:aws:iam::000000000000:role/ksef-scheduler',
        Input: JSON.stringify(desired.input),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-central-1:000000000000:ksef-schedule-dlq' },
      },
    });
    expect(raw.Description).toContain('Process KSeF UPO');
  });

  it('a schedule put through the gateway fires its code unit function with the entry input at the Warsaw wall time', async () => {
    // Prepare
    const ownClock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));
    const fired: { targetArn: string; input: string; at: string }[] = [];
    const own = await startSchedulerEmulator({
      clock: ownClock,
      timers: 'manual',
      scheduleGroups: ['ksef-jobs'],
      invokeTarget: async (targetArn, input) => {
        fired.push({ targetArn, input, at: ownClock.now().toISOString() });
      },
    });
    const gateway = new EventBridgeScheduleGateway(own.createClient(), config('ksef-jobs'));
    const desired = makeDesiredSchedule('update-ledgers', { expression: 'at(2026-03-02T10:00:00)' });
    await gateway.put(desired);
    // Act
    await own.advanceTo(new Date('2026-03-02T12:00:00.000Z'));
    // Assess
    expect(fired).toEqual([{ targetArn: targetArns['update-ledgers'], input: JSON.stringify(desired.input), at: '2026-03-02T09:00:00.000Z' }]);
    expect((await gateway.get('update-ledgers'))?.state).toBe('ENABLED');
    await own.close();
  });

  it('a put into a schedule group that does not exist is rejected as not retryable', async () => {
    // Prepare
    const gateway = new EventBridgeScheduleGateway(client, config('no-such-group'));
    // Act
    const put = gateway.put(makeDesiredSchedule('send-documents'));
    // Assess
    await expect(put).rejects.toBeInstanceOf(ScheduleRejectedError);
    await expect(put).rejects.toThrow(/CreateSchedule send-documents failed \(ResourceNotFoundException: Schedule group no-such-group does not exist/);
  });

  it('an unreachable scheduler surfaces as a retryable gateway error, not an SDK error', async () => {
    // Prepare
    const closed = await startSchedulerEmulator({ timers: 'manual' });
    const endpoint = closed.endpoint;
    await closed.close();
    const deadClient = new SchedulerClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    const gateway = new EventBridgeScheduleGateway(deadClient, config('ksef-jobs'));
    // Act
    const read = gateway.get('send-documents');
    // Assess
    await expect(read).rejects.toBeInstanceOf(ScheduleGatewayError);
    deadClient.destroy();
  });
});
