import {
  CreateScheduleGroupCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  paginateListSchedules,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorFixture, GROUP } from './emulator-fixture.js';

describe('the Scheduler API of the emulator, through the AWS SDK', () => {
  let fixture: EmulatorFixture;

  beforeEach(async () => {
    fixture = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
  });

  afterEach(async () => {
    await fixture.close();
  });

  it('ListSchedules pages through every schedule of a group with NextToken', async () => {
    // Prepare
    const names = Array.from({ length: 23 }, (_, i) => `schedule-${String(i).padStart(2, '0')}`);
    for (const name of names) await fixture.create(name, { ScheduleExpression: 'rate(1 hour)' });
    // Act
    const listed: string[] = [];
    let pages = 0;
    for await (const page of paginateListSchedules({ client: fixture.client, pageSize: 10 }, { GroupName: GROUP })) {
      pages += 1;
      listed.push(...(page.Schedules ?? []).map((summary) => summary.Name ?? ''));
    }
    // Assess
    expect(pages).toBe(3);
    expect(listed).toEqual(names);
  });

  it('ListSchedules filters by name prefix and state and summarises each schedule with its target', async () => {
    // Prepare
    await fixture.create('send-a', { ScheduleExpression: 'rate(1 hour)' });
    await fixture.create('send-b', { ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' });
    await fixture.create('other', { ScheduleExpression: 'rate(1 hour)' });
    // Act
    const listed = await fixture.client.send(new ListSchedulesCommand({ GroupName: GROUP, NamePrefix: 'send-', State: 'ENABLED' }));
    // Assess
    expect(listed.Schedules).toEqual([
      expect.objectContaining({
        Name: 'send-a',
        GroupName: GROUP,
        State: 'ENABLED',
        Arn: `arn:aws:scheduler:eu-central-1:000000000000:schedule/${GROUP}/send-a`,
        Target: { Arn: 'arn:aws:lambda:eu-central-1:000000000000:function:send-a' },
        CreationDate: new Date('2026-03-02T08:00:00.000Z'),
      }),
    ]);
    expect(listed.NextToken).toBeUndefined();
  });

  it('updating or deleting a schedule that does not exist is a ResourceNotFoundException', async () => {
    // Act
    const [updated, deleted] = await Promise.allSettled([fixture.update('ghost', { ScheduleExpression: 'rate(1 hour)' }), fixture.remove('ghost')]);
    // Assess
    expect(updated).toMatchObject({ status: 'rejected', reason: { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } } });
    expect(deleted).toMatchObject({ status: 'rejected', reason: { name: 'ResourceNotFoundException' } });
  });

  it('an update replaces the whole schedule: fields left out go back to their defaults', async () => {
    // Prepare
    await fixture.create('replaced', { ScheduleExpression: 'rate(1 hour)', Description: 'first', State: 'DISABLED', ActionAfterCompletion: 'DELETE' });
    // Act
    await fixture.update('replaced', { ScheduleExpression: 'rate(2 hours)', ActionAfterCompletion: undefined });
    const read = await fixture.client.send(new GetScheduleCommand({ Name: 'replaced', GroupName: GROUP }));
    // Assess
    expect(read).toMatchObject({ ScheduleExpression: 'rate(2 hours)', State: 'ENABLED', ActionAfterCompletion: 'NONE' });
    expect(read.Description).toBeUndefined();
  });

  it('schedule groups can be created, read, listed and deleted, and deleting one deletes its schedules', async () => {
    // Prepare
    await fixture.client.send(new CreateScheduleGroupCommand({ Name: 'temporary' }));
    await fixture.create('inside', { ScheduleExpression: 'rate(1 hour)', GroupName: 'temporary' });
    // Act
    const read = await fixture.client.send(new GetScheduleGroupCommand({ Name: 'temporary' }));
    const groups = await fixture.client.send(new ListScheduleGroupsCommand({}));
    await fixture.client.send(new DeleteScheduleGroupCommand({ Name: 'temporary' }));
    // Assess
    expect(read).toMatchObject({ Name: 'temporary', State: 'ACTIVE' });
    expect(groups.ScheduleGroups?.map((group) => group.Name)).toEqual(['default', GROUP, 'temporary']);
    await expect(fixture.client.send(new GetScheduleCommand({ Name: 'inside', GroupName: 'temporary' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('creating a group twice is a ConflictException and the default group cannot be deleted', async () => {
    // Act
    const [again, removeDefault] = await Promise.allSettled([
      fixture.client.send(new CreateScheduleGroupCommand({ Name: GROUP })),
      fixture.client.send(new DeleteScheduleGroupCommand({ Name: 'default' })),
    ]);
    // Assess
    expect(again).toMatchObject({ status: 'rejected', reason: { name: 'ConflictException', $metadata: { httpStatusCode: 409 } } });
    expect(removeDefault).toMatchObject({ status: 'rejected', reason: { name: 'ValidationException' } });
  });

  it('a retry policy outside the AWS limits is refused', async () => {
    // Act
    const created = fixture.create('too-many', {
      ScheduleExpression: 'rate(1 hour)',
      Target: { Arn: 'a', RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 186 } },
    });
    // Assess
    await expect(created).rejects.toThrow(/MaximumRetryAttempts must be a whole number from 0 to 185/);
  });

  it('a schedule fired with no target invoker registered counts as a failed delivery, not a crash', async () => {
    // Prepare
    const bare = await EmulatorFixture.start('2026-03-02T08:00:00.000Z');
    bare.emulator.setTargetInvoker(async () => {
      throw new Error('No code unit answers');
    });
    await bare.create('unanswered', {
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      Target: { Arn: 'a', RoleArn: 'r', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } },
    });
    // Act
    await bare.advanceTo('2026-03-02T10:00:00.000Z');
    // Assess
    expect(bare.emulator.invocations()).toEqual([expect.objectContaining({ outcome: 'failed', errorMessage: 'No code unit answers' })]);
    await bare.close();
  });
});
