import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { type Clock, systemClock } from '../../../ports/clock.js';
import { DEFAULT_BACKOFF, Dispatcher, type InvocationRecord, type RetryBackoff, type TargetInvoker } from './dispatcher.js';
import { type DeadLetterRecord, type EmulatorState, emptyState, loadState, saveState } from './emulator-state.js';
import { createRequestListener } from './http-api.js';
import { isSettableClock } from './manual-clock.js';
import { SchedulerOperations } from './scheduler-operations.js';
import { KsefJobError } from '../../../domain/errors.js';
import type { Logger } from '../../../ports/logger.js';
import { powertoolsLogger } from '../../powertools/powertools-logger.js';

/*
 * A local EventBridge Scheduler: an HTTP server on 127.0.0.1 that speaks the Scheduler API, so the
 * same EventBridgeScheduleGateway runs against it as against AWS, and a dispatcher that fires the
 * schedules with the AWS semantics and calls the registered target invoker.
 *
 *   const scheduler = await startSchedulerEmulator({ dataDir: '.local/scheduler', scheduleGroups: ['ksef-job-queues'] });
 *   scheduler.setTargetInvoker(async (functionArn, input) => { void runCodeUnit(functionArn, JSON.parse(input)); });
 *   const gateway = new EventBridgeScheduleGateway(scheduler.createClient(), { groupName: 'ksef-job-queues', ... });
 *   …
 *   await scheduler.close();
 */

export interface SchedulerEmulatorOptions {
  /** Where time comes from; a ManualClock for tests. Default: the system clock. */
  readonly clock?: Clock;
  /** `real`: one timer armed at the earliest due moment. `manual`: nothing fires until runDue()/advanceTo(). Default `real`. */
  readonly timers?: 'real' | 'manual';
  /** Directory whose JSON file keeps the state across restarts; in memory only when absent. */
  readonly dataDir?: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly region?: string;
  readonly accountId?: string;
  /** Schedule groups to create at start when missing (on AWS the stack creates them). */
  readonly scheduleGroups?: readonly string[];
  readonly invokeTarget?: TargetInvoker;
  readonly retryBackoff?: Partial<RetryBackoff>;
  /** Told about failures of the timer-driven loop (persistence errors); default: an error in `logger`'s log. */
  readonly onError?: (error: unknown) => void;
  /** Default: a Powertools logger of the `scheduler-emulator` service. */
  readonly logger?: Logger;
}

const HOST = '127.0.0.1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** setTimeout's longest delay; a later moment is reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function startSchedulerEmulator(options: SchedulerEmulatorOptions = {}): Promise<SchedulerEmulator> {
  const state = options.dataDir ? await loadState(options.dataDir) : emptyState();
  const emulator = new SchedulerEmulator(options, state);
  await emulator.listen(options.port ?? 0);
  for (const group of options.scheduleGroups ?? []) await emulator.ensureGroup(group);
  emulator.rearm();
  return emulator;
}

export class SchedulerEmulator {
  readonly region: string;
  private readonly clock: Clock;
  private readonly operations: SchedulerOperations;
  private readonly dispatcher: Dispatcher;
  private readonly server: Server;
  private readonly clients: SchedulerClient[] = [];
  private invoker: TargetInvoker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private work: Promise<unknown> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  private address: AddressInfo | undefined;

  constructor(
    private readonly options: SchedulerEmulatorOptions,
    private readonly state: EmulatorState,
  ) {
    this.region = options.region ?? 'eu-central-1';
    this.clock = options.clock ?? systemClock;
    this.invoker = options.invokeTarget;
    this.operations = new SchedulerOperations({
      state,
      clock: this.clock,
      region: this.region,
      accountId: options.accountId ?? '000000000000',
      changed: () => this.changed(),
    });
    this.dispatcher = new Dispatcher(state, this.clock, { ...DEFAULT_BACKOFF, ...options.retryBackoff }, () => this.invoker);
    this.server = createServer(createRequestListener(this.operations));
  }

  /** e.g. `http://127.0.0.1:45123`: the `endpoint` of a SchedulerClient. */
  get endpoint(): string {
    return `http://${HOST}:${this.port}`;
  }

  get port(): number {
    if (!this.address) throw new KsefJobError('The scheduler emulator is not listening.');
    return this.address.port;
  }

  /** Registers (or replaces) the function that receives every invocation. */
  setTargetInvoker(invoker: TargetInvoker): void {
    this.invoker = invoker;
  }

  /** A SchedulerClient for this emulator (dummy credentials); destroyed by close(). */
  createClient(): SchedulerClient {
    const client = new SchedulerClient({ endpoint: this.endpoint, region: this.region, credentials: LOCAL_CREDENTIALS });
    this.clients.push(client);
    return client;
  }

  /** Fires everything due at the clock's current time, retries included; resolves with the number of events handled. */
  runDue(): Promise<number> {
    return this.serialized(() => this.processUntil(this.clock.now().getTime(), false));
  }

  /**
   * Moves a settable clock (ManualClock) forward to `to`, stopping at every due moment on the way so
   * that each invocation sees the clock at its own slot.
   */
  advanceTo(to: Date): Promise<number> {
    const { clock } = this;
    if (!isSettableClock(clock)) throw new KsefJobError('advanceTo needs a settable clock such as ManualClock.');
    return this.serialized(async () => {
      const handled = await this.processUntil(to.getTime(), true);
      clock.set(to);
      return handled;
    });
  }

  /** The moment the next schedule slot or retry is due, if any. */
  nextDueAt(): Date | undefined {
    const next = this.dispatcher.nextEvent();
    return next ? new Date(next.atMs) : undefined;
  }

  deadLetters(): readonly DeadLetterRecord[] {
    return [...this.state.deadLetters];
  }

  /** The latest invocation attempts (at most 1,000), oldest first. */
  invocations(): readonly InvocationRecord[] {
    return [...this.dispatcher.invocations];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const client of this.clients.splice(0)) client.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
    await this.work.catch(() => undefined);
    await this.saving;
  }

  /** @internal used by startSchedulerEmulator */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, HOST, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  /** @internal used by startSchedulerEmulator */
  async ensureGroup(name: string): Promise<void> {
    if (!this.state.groups.has(name)) await this.operations.createScheduleGroup(name);
  }

  /** Arms the single timer at the earliest due moment (real timers only). */
  rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.options.timers === 'manual') return;
    const next = this.dispatcher.nextEvent();
    if (!next) return;
    const delay = Math.min(Math.max(next.atMs - this.clock.now().getTime(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.runDue().catch(this.options.onError ?? ((error: unknown) => (this.options.logger ?? powertoolsLogger({ serviceName: 'scheduler-emulator' })).error('The scheduler emulator failed to fire its due schedules.', { error })));
    }, delay);
    this.timer.unref();
  }

  private async processUntil(limitMs: number, moveClock: boolean): Promise<number> {
    let handled = 0;
    try {
      for (let event = this.dispatcher.nextEvent(); event && event.atMs <= limitMs && !this.closed; event = this.dispatcher.nextEvent()) {
        if (moveClock && isSettableClock(this.clock)) this.clock.set(new Date(event.atMs));
        await this.dispatcher.process(event);
        await this.persist();
        handled += 1;
      }
    } finally {
      // Also after a failed write: the schedules must keep firing.
      this.rearm();
    }
    return handled;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.work.then(task, task);
    this.work = result.catch(() => undefined);
    return result;
  }

  private async changed(): Promise<void> {
    await this.persist();
    this.rearm();
  }

  /** Writes one after the other, each with the state as it is when its turn comes. */
  private persist(): Promise<void> {
    const { dataDir } = this.options;
    if (!dataDir) return Promise.resolve();
    const write = this.saving.then(() => saveState(dataDir, this.state));
    this.saving = write.catch(() => undefined);
    return write;
  }
}
