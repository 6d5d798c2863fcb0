import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  type RetryPolicy,
  type SchedulerClient,
  UpdateScheduleCommand,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { CODE_UNITS, type CodeUnitId, isCodeUnitId } from '../../domain/catalogue.js';
import type { ActualSchedule, DesiredSchedule, ScheduleGateway, ScheduleInput } from '../../ports/schedule-gateway.js';
import { errorName, ScheduleGatewayError, toScheduleGatewayError } from './schedule-gateway-error.js';

/*
 * One EventBridge Scheduler schedule per entry, named after its code unit, in the system's group.
 * put is UpdateSchedule, falling back to CreateSchedule when the schedule does not exist, and back to
 * UpdateSchedule when another writer created it in between: every put ends in one schedule with the
 * last writer's fields. ActionAfterCompletion NONE keeps a fired at() schedule, so the next run is an
 * update of the same schedule, never a new one.
 */

export interface EventBridgeScheduleGatewayConfig {
  readonly groupName: string;
  /** The role the Scheduler assumes to invoke the code units' functions. */
  readonly roleArn: string;
  /** The SQS queue that receives invocations the Scheduler could not deliver. */
  readonly deadLetterArn: string;
  /** The function (ARN) of every code unit. */
  readonly targetArns: Readonly<Record<CodeUnitId, string>>;
  readonly retryPolicy?: RetryPolicy;
}

/** Delivery retries (not run retries: those are the run protocol's job). */
export const DEFAULT_SCHEDULE_RETRY_POLICY: Required<RetryPolicy> = { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 };

const GET_CONCURRENCY = 5;

export class EventBridgeScheduleGateway implements ScheduleGateway {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: EventBridgeScheduleGatewayConfig,
  ) {}

  async put(schedule: DesiredSchedule): Promise<void> {
    const request = this.request(schedule);
    try {
      await this.client.send(new UpdateScheduleCommand(request));
      return;
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw toScheduleGatewayError(error, `UpdateSchedule ${request.Name}`);
    }
    try {
      await this.client.send(new CreateScheduleCommand(request));
      return;
    } catch (error) {
      if (errorName(error) !== 'ConflictException') throw toScheduleGatewayError(error, `CreateSchedule ${request.Name}`);
    }
    // Another writer created it between our update and create: ours is the later write.
    await this.send(`UpdateSchedule ${request.Name}`, () => this.client.send(new UpdateScheduleCommand(request)));
  }

  async get(codeUnit: CodeUnitId): Promise<ActualSchedule | undefined> {
    try {
      const output = await this.client.send(new GetScheduleCommand({ Name: codeUnit, GroupName: this.config.groupName }));
      return toActualSchedule(output);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw toScheduleGatewayError(error, `GetSchedule ${codeUnit}`);
    }
  }

  /** The code units' schedules in the group; schedules named otherwise are not ours and are left out. */
  async list(): Promise<ActualSchedule[]> {
    const names: CodeUnitId[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.send('ListSchedules', () =>
        this.client.send(new ListSchedulesCommand({ GroupName: this.config.groupName, ...(nextToken ? { NextToken: nextToken } : {}) })),
      );
      for (const summary of page.Schedules ?? []) if (summary.Name && isCodeUnitId(summary.Name)) names.push(summary.Name);
      nextToken = page.NextToken;
    } while (nextToken);
    // ListSchedules carries neither expression nor input: read each schedule, a few at a time.
    const schedules: ActualSchedule[] = [];
    for (let i = 0; i < names.length; i += GET_CONCURRENCY) {
      const batch = await Promise.all(names.slice(i, i + GET_CONCURRENCY).map((name) => this.get(name)));
      for (const schedule of batch) if (schedule) schedules.push(schedule);
    }
    return schedules.sort((a, b) => CODE_UNITS[a.codeUnit].order - CODE_UNITS[b.codeUnit].order);
  }

  async remove(codeUnit: CodeUnitId): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: codeUnit, GroupName: this.config.groupName }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw toScheduleGatewayError(error, `DeleteSchedule ${codeUnit}`);
    }
  }

  private request(schedule: DesiredSchedule): UpdateScheduleCommandInput {
    const { codeUnit } = schedule;
    return {
      Name: codeUnit,
      GroupName: this.config.groupName,
      Description: `KSeF job queue '${CODE_UNITS[codeUnit].displayName}'`,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timeZone,
      State: schedule.state,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: this.config.targetArns[codeUnit],
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(schedule.input),
        RetryPolicy: this.config.retryPolicy ?? DEFAULT_SCHEDULE_RETRY_POLICY,
        DeadLetterConfig: { Arn: this.config.deadLetterArn },
      },
    };
  }

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toScheduleGatewayError(error, action);
    }
  }
}

function toActualSchedule(output: GetScheduleCommandOutput): ActualSchedule {
  const name = output.Name ?? '';
  if (!isCodeUnitId(name)) throw new ScheduleGatewayError(`Schedule '${name}' is not named after a code unit.`);
  if ((output.State !== 'ENABLED' && output.State !== 'DISABLED') || !output.ScheduleExpression) {
    throw new ScheduleGatewayError(`Schedule '${name}' has no state or expression.`);
  }
  return {
    name,
    codeUnit: name,
    state: output.State,
    expression: output.ScheduleExpression,
    timeZone: output.ScheduleExpressionTimezone ?? 'UTC',
    input: parseInput(name, output.Target?.Input),
  };
}

function parseInput(name: string, text: string | undefined): ScheduleInput {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch (error) {
    throw new ScheduleGatewayError(`Schedule '${name}' has an input that is not JSON.`, { cause: error });
  }
  const input = value as Partial<Record<keyof ScheduleInput, unknown>> | null;
  const valid =
    typeof input === 'object' &&
    input !== null &&
    typeof input.codeUnit === 'string' &&
    isCodeUnitId(input.codeUnit) &&
    typeof input.entryId === 'string' &&
    (input.trigger === 'schedule' || input.trigger === 'retry' || input.trigger === 'restart') &&
    typeof input.scheduledFor === 'string';
  if (!valid) throw new ScheduleGatewayError(`Schedule '${name}' has an input that is not a schedule input.`);
  return value as ScheduleInput;
}
