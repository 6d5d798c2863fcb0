import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { TargetInvoker } from '../../../functions/adapters/local/scheduler-emulator/dispatcher.js';
import { ManualClock } from '../../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import {
  type SchedulerEmulator,
  type SchedulerEmulatorOptions,
  startSchedulerEmulator,
} from '../../../functions/adapters/local/scheduler-emulator/scheduler-emulator.js';

export const GROUP = 'ksef-jobs';
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/ksef-scheduler';

export interface Fired {
  readonly targetArn: string;
  readonly input: string;
  /** The emulator's clock when the target was invoked (UTC ISO-8601). */
  readonly at: string;
}

export type ScheduleFields = Partial<Omit<CreateScheduleCommandInput, 'Name'>>;

export function targetArn(name: string): string {
  return `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;
}

/** A scheduler emulator on a manual clock, with a target invoker that records every call. */
export class EmulatorFixture {
  readonly fired: Fired[] = [];
  /** Replaced by tests that need a failing target. */
  behaviour: TargetInvoker = async () => undefined;

  private constructor(
    readonly clock: ManualClock,
    readonly emulator: SchedulerEmulator,
    readonly client: SchedulerClient,
  ) {}

  static async start(startAt: string, options: SchedulerEmulatorOptions = {}): Promise<EmulatorFixture> {
    const clock = new ManualClock(new Date(startAt));
    const emulator = await startSchedulerEmulator({ clock, timers: 'manual', scheduleGroups: [GROUP], ...options });
    const fixture = new EmulatorFixture(clock, emulator, emulator.createClient());
    emulator.setTargetInvoker(async (arn, input) => {
      fixture.fired.push({ targetArn: arn, input, at: clock.now().toISOString() });
      await fixture.behaviour(arn, input);
    });
    return fixture;
  }

  /** Instants (UTC ISO-8601) at which the named schedule's target was invoked. */
  firedAt(name: string): string[] {
    return this.fired.filter((fired) => fired.targetArn === targetArn(name)).map((fired) => fired.at);
  }

  async create(name: string, fields: ScheduleFields): Promise<void> {
    await this.client.send(new CreateScheduleCommand(this.request(name, fields)));
  }

  async update(name: string, fields: ScheduleFields): Promise<void> {
    await this.client.send(new UpdateScheduleCommand(this.request(name, fields)));
  }

  async remove(name: string): Promise<void> {
    await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: GROUP }));
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return false;
      throw error;
    }
  }

  advanceTo(at: string): Promise<number> {
    return this.emulator.advanceTo(new Date(at));
  }

  close(): Promise<void> {
    return this.emulator.close();
  }

  private request(name: string, fields: ScheduleFields): CreateScheduleCommandInput {
    return {
      Name: name,
      GroupName: GROUP,
      ScheduleExpression: 'rate(1 day)',
      ScheduleExpressionTimezone: 'Europe/Warsaw',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      ...fields,
      Target: { Arn: targetArn(name), RoleArn: ROLE_ARN, Input: JSON.stringify({ name }), ...fields.Target },
    };
  }
}
