import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KsefJobError } from '../../../domain/errors.js';

/*
 * What the emulator keeps. Schedules and groups are stored in their wire shape (JSON member names of
 * the Scheduler API, timestamps as epoch seconds), so that Get returns exactly what Create received.
 */

export interface WireRetryPolicy {
  readonly MaximumRetryAttempts?: number;
  readonly MaximumEventAgeInSeconds?: number;
}

export interface WireTarget {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy?: WireRetryPolicy;
  readonly DeadLetterConfig?: { readonly Arn?: string };
  /** Service-specific parameters (SQS, ECS, …) are kept and returned, never used. */
  readonly [other: string]: unknown;
}

export interface WireSchedule {
  readonly Arn: string;
  readonly Name: string;
  readonly GroupName: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone?: string;
  readonly StartDate?: number;
  readonly EndDate?: number;
  readonly Description?: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly KmsKeyArn?: string;
  readonly Target: WireTarget;
  readonly FlexibleTimeWindow: { readonly Mode: 'OFF' | 'FLEXIBLE'; readonly MaximumWindowInMinutes?: number };
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
  readonly CreationDate: number;
  readonly LastModificationDate: number;
}

/** The emulator's bookkeeping for one schedule, beside its wire shape. */
export interface StoredSchedule {
  readonly schedule: WireSchedule;
  /** Epoch ms a rate() without StartDate counts from. */
  readonly rateAnchorMs: number;
  /** Epoch ms: fire times before this have been fired or deliberately passed over. */
  readonly notBeforeMs: number;
  /** Epoch ms of the last slot fired, if any. */
  readonly lastFiredMs?: number;
}

export interface WireScheduleGroup {
  readonly Arn: string;
  readonly Name: string;
  readonly State: 'ACTIVE';
  readonly CreationDate: number;
  readonly LastModificationDate: number;
}

/** A target invocation waiting for its next attempt. */
export interface PendingDelivery {
  readonly id: string;
  readonly scheduleArn: string;
  readonly scheduleName: string;
  readonly groupName: string;
  readonly targetArn: string;
  readonly input: string;
  readonly scheduledMs: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly dueMs: number;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  readonly deadLetterArn?: string;
  readonly lastError?: string;
}

/** What a dead-letter queue would receive after the retries are exhausted. */
export interface DeadLetterRecord {
  readonly deadLetterArn: string;
  readonly scheduleArn: string;
  readonly scheduleName: string;
  readonly groupName: string;
  readonly targetArn: string;
  readonly input: string;
  /** UTC ISO-8601 of the slot. */
  readonly scheduledTime: string;
  readonly attempts: number;
  readonly exhaustedRetryCondition: 'MaximumRetryAttemptsExceeded' | 'MaximumEventAgeExceeded';
  readonly errorMessage: string;
  /** UTC ISO-8601. */
  readonly deadLetteredAt: string;
}

export interface EmulatorState {
  readonly groups: Map<string, WireScheduleGroup>;
  /** Keyed by `group/name`. */
  readonly schedules: Map<string, StoredSchedule>;
  readonly pending: Map<string, PendingDelivery>;
  readonly deadLetters: DeadLetterRecord[];
}

interface StateFile {
  readonly version: 1;
  readonly groups: WireScheduleGroup[];
  readonly schedules: StoredSchedule[];
  readonly pending: PendingDelivery[];
  readonly deadLetters: DeadLetterRecord[];
}

export const STATE_FILE_NAME = 'scheduler-emulator.json';

export function scheduleKey(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

export function emptyState(): EmulatorState {
  return { groups: new Map(), schedules: new Map(), pending: new Map(), deadLetters: [] };
}

export async function loadState(dataDir: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(join(dataDir, STATE_FILE_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let file: StateFile;
  try {
    file = JSON.parse(text) as StateFile;
  } catch (error) {
    throw new KsefJobError(`The scheduler emulator's state file ${join(dataDir, STATE_FILE_NAME)} is not valid JSON.`, { cause: error });
  }
  return {
    groups: new Map(file.groups.map((group) => [group.Name, group])),
    schedules: new Map(file.schedules.map((stored) => [scheduleKey(stored.schedule.GroupName, stored.schedule.Name), stored])),
    pending: new Map(file.pending.map((delivery) => [delivery.id, delivery])),
    deadLetters: [...file.deadLetters],
  };
}

/** Writes the whole state to a temporary file and renames it over the old one, so a crash never leaves half a file. */
export async function saveState(dataDir: string, state: EmulatorState): Promise<void> {
  const file: StateFile = {
    version: 1,
    groups: [...state.groups.values()],
    schedules: [...state.schedules.values()],
    pending: [...state.pending.values()],
    deadLetters: state.deadLetters,
  };
  await mkdir(dataDir, { recursive: true });
  const target = join(dataDir, STATE_FILE_NAME);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(file, null, 2), 'utf8');
  await rename(temporary, target);
}
