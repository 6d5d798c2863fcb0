import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../ports/clock.js';
import type { DeadLetterRecord, EmulatorState, PendingDelivery, StoredSchedule } from './emulator-state.js';
import { type FiringRule, nextFireTime } from './fire-times.js';
import { parseScheduleExpression } from './schedule-expression.js';

/*
 * Fires due schedules and delivers their input to the target, with the target's retry policy and
 * dead-letter queue. A fired slot first becomes a pending delivery (persisted), so a delivery that
 * fails is retried with backoff until MaximumRetryAttempts or MaximumEventAgeInSeconds runs out,
 * and then lands on the dead-letter list when the target has a DeadLetterConfig.
 */

/**
 * Delivers a schedule's input to its target; rejects when the target refused the invocation.
 * Like Lambda's asynchronous Invoke, it should resolve once the event is accepted, not when the run
 * ends: deliveries are made one at a time, so an invoker that awaits a whole run holds back every
 * other schedule until that run is over.
 */
export type TargetInvoker = (targetArn: string, input: string) => Promise<void>;

export interface InvocationRecord {
  readonly scheduleName: string;
  readonly groupName: string;
  readonly targetArn: string;
  readonly input: string;
  /** UTC ISO-8601 of the slot. */
  readonly scheduledTime: string;
  /** UTC ISO-8601 of the attempt. */
  readonly attemptedAt: string;
  readonly attempt: number;
  readonly outcome: 'succeeded' | 'failed' | 'expired';
  readonly errorMessage?: string;
}

export interface RetryBackoff {
  /** Delay before the first retry; doubled for every further one. */
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The AWS defaults when a target has no RetryPolicy. */
export const DEFAULT_RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 } as const;
export const DEFAULT_BACKOFF: RetryBackoff = { initialMs: 1_000, maxMs: 300_000 };
const INVOCATION_LOG_LIMIT = 1_000;

type DueEvent = { readonly kind: 'fire'; readonly atMs: number; readonly key: string } | { readonly kind: 'deliver'; readonly atMs: number; readonly id: string };

export class Dispatcher {
  readonly invocations: InvocationRecord[] = [];
  private readonly nextFireCache = new WeakMap<StoredSchedule, number | null>();

  constructor(
    private readonly state: EmulatorState,
    private readonly clock: Clock,
    private readonly backoff: RetryBackoff,
    private readonly invoker: () => TargetInvoker | undefined,
  ) {}

  /** The earliest moment something is due: a schedule's next slot or a pending retry. */
  nextEvent(): DueEvent | undefined {
    let earliest: DueEvent | undefined;
    for (const [key, stored] of this.state.schedules) {
      const atMs = this.nextFireOf(stored);
      if (atMs !== null && (earliest === undefined || atMs < earliest.atMs)) earliest = { kind: 'fire', atMs, key };
    }
    for (const delivery of this.state.pending.values()) {
      // A delivery of a slot wins over a later fire of the same instant: it is older work.
      if (earliest === undefined || delivery.dueMs <= earliest.atMs) earliest = { kind: 'deliver', atMs: delivery.dueMs, id: delivery.id };
    }
    return earliest;
  }

  /** Handles one due event; the caller persists afterwards. */
  async process(event: DueEvent): Promise<void> {
    if (event.kind === 'fire') this.fire(event.key, event.atMs);
    else await this.deliver(event.id);
  }

  private nextFireOf(stored: StoredSchedule): number | null {
    if (stored.schedule.State !== 'ENABLED') return null;
    const cached = this.nextFireCache.get(stored);
    if (cached !== undefined) return cached;
    const next = nextFireTime(firingRule(stored), stored.notBeforeMs);
    this.nextFireCache.set(stored, next);
    return next;
  }

  private fire(key: string, atMs: number): void {
    const stored = this.state.schedules.get(key);
    if (!stored) return;
    const { schedule } = stored;
    const nowMs = this.clock.now().getTime();
    const policy = retryPolicyOf(stored);
    const oldestAllowedMs = nowMs - policy.maximumEventAgeSeconds * 1000;
    if (atMs < oldestAllowedMs) {
      // Slots missed for longer than the event may live (the process was down) are passed over, not replayed.
      this.log(stored, atMs, 0, 'expired', 'The slot was missed for longer than MaximumEventAgeInSeconds.');
      this.state.schedules.set(key, { ...stored, notBeforeMs: oldestAllowedMs });
      return;
    }
    const fired: StoredSchedule = { ...stored, notBeforeMs: atMs + 1, lastFiredMs: atMs };
    const completed = nextFireTime(firingRule(fired), fired.notBeforeMs) === null;
    if (completed && schedule.ActionAfterCompletion === 'DELETE') this.state.schedules.delete(key);
    else this.state.schedules.set(key, fired);
    const deadLetterArn = schedule.Target.DeadLetterConfig?.Arn;
    const delivery: PendingDelivery = {
      id: randomUUID(),
      scheduleArn: schedule.Arn,
      scheduleName: schedule.Name,
      groupName: schedule.GroupName,
      targetArn: schedule.Target.Arn,
      input: schedule.Target.Input ?? '{}',
      scheduledMs: atMs,
      attempt: 1,
      dueMs: atMs,
      ...policy,
      ...(deadLetterArn ? { deadLetterArn } : {}),
    };
    this.state.pending.set(delivery.id, delivery);
  }

  private async deliver(id: string): Promise<void> {
    const delivery = this.state.pending.get(id);
    if (!delivery) return;
    const attemptedAt = this.clock.now();
    const invoke = this.invoker();
    let errorMessage: string | undefined;
    try {
      if (!invoke) throw new Error('No target invoker is registered with the scheduler emulator.');
      await invoke(delivery.targetArn, renderInput(delivery));
    } catch (error) {
      errorMessage = error instanceof Error ? error.message : String(error);
    }
    this.state.pending.delete(id);
    this.logDelivery(delivery, attemptedAt, errorMessage);
    if (errorMessage === undefined) return;
    const retryAtMs = attemptedAt.getTime() + Math.min(this.backoff.initialMs * 2 ** (delivery.attempt - 1), this.backoff.maxMs);
    const attemptsLeft = delivery.attempt <= delivery.maximumRetryAttempts;
    const youngEnough = retryAtMs - delivery.scheduledMs <= delivery.maximumEventAgeSeconds * 1000;
    if (attemptsLeft && youngEnough) {
      this.state.pending.set(id, { ...delivery, attempt: delivery.attempt + 1, dueMs: retryAtMs, lastError: errorMessage });
    } else if (delivery.deadLetterArn) {
      this.state.deadLetters.push(deadLetter(delivery, attemptsLeft ? 'MaximumEventAgeExceeded' : 'MaximumRetryAttemptsExceeded', errorMessage, attemptedAt));
    }
  }

  private logDelivery(delivery: PendingDelivery, attemptedAt: Date, errorMessage: string | undefined): void {
    this.push({
      scheduleName: delivery.scheduleName,
      groupName: delivery.groupName,
      targetArn: delivery.targetArn,
      input: delivery.input,
      scheduledTime: new Date(delivery.scheduledMs).toISOString(),
      attemptedAt: attemptedAt.toISOString(),
      attempt: delivery.attempt,
      outcome: errorMessage === undefined ? 'succeeded' : 'failed',
      ...(errorMessage === undefined ? {} : { errorMessage }),
    });
  }

  private log(stored: StoredSchedule, atMs: number, attempt: number, outcome: InvocationRecord['outcome'], errorMessage: string): void {
    const { schedule } = stored;
    this.push({
      scheduleName: schedule.Name,
      groupName: schedule.GroupName,
      targetArn: schedule.Target.Arn,
      input: schedule.Target.Input ?? '{}',
      scheduledTime: new Date(atMs).toISOString(),
      attemptedAt: this.clock.now().toISOString(),
      attempt,
      outcome,
      errorMessage,
    });
  }

  private push(record: InvocationRecord): void {
    this.invocations.push(record);
    if (this.invocations.length > INVOCATION_LOG_LIMIT) this.invocations.splice(0, this.invocations.length - INVOCATION_LOG_LIMIT);
  }
}

export function firingRule(stored: StoredSchedule): FiringRule {
  const { schedule } = stored;
  return {
    expression: parseScheduleExpression(schedule.ScheduleExpression),
    timeZone: schedule.ScheduleExpressionTimezone ?? 'UTC',
    rateAnchorMs: stored.rateAnchorMs,
    ...(schedule.StartDate === undefined ? {} : { startMs: schedule.StartDate * 1000 }),
    ...(schedule.EndDate === undefined ? {} : { endMs: schedule.EndDate * 1000 }),
  };
}

function retryPolicyOf(stored: StoredSchedule): { maximumRetryAttempts: number; maximumEventAgeSeconds: number } {
  const policy = stored.schedule.Target.RetryPolicy;
  return {
    maximumRetryAttempts: policy?.MaximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts,
    maximumEventAgeSeconds: policy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.maximumEventAgeSeconds,
  };
}

/** The context attributes EventBridge Scheduler substitutes in a templated target's input. */
function renderInput(delivery: PendingDelivery): string {
  return delivery.input
    .replaceAll('<aws.scheduler.schedule-arn>', delivery.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(delivery.scheduledMs).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', delivery.id)
    .replaceAll('<aws.scheduler.attempt-number>', String(delivery.attempt));
}

function deadLetter(
  delivery: PendingDelivery,
  exhaustedRetryCondition: DeadLetterRecord['exhaustedRetryCondition'],
  errorMessage: string,
  at: Date,
): DeadLetterRecord {
  return {
    deadLetterArn: delivery.deadLetterArn ?? '',
    scheduleArn: delivery.scheduleArn,
    scheduleName: delivery.scheduleName,
    groupName: delivery.groupName,
    targetArn: delivery.targetArn,
    input: delivery.input,
    scheduledTime: new Date(delivery.scheduledMs).toISOString(),
    attempts: delivery.attempt,
    exhaustedRetryCondition,
    errorMessage,
    deadLetteredAt: at.toISOString(),
  };
}
