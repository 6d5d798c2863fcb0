import { expect } from 'vitest';
import type { ManualClock } from '../../../functions/adapters/local/scheduler-emulator/manual-clock.js';
import { CODE_UNIT_IDS, type CodeUnitId } from '../../../functions/domain/catalogue.js';
import type { KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { LocalConfig } from '../../../functions/wiring/local-config.js';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../../functions/wiring/local.js';

/*
 * Local mode as an admin drives it, through HTTP with the bearer token, against the KSeF simulator
 * that local mode talks to. Time is a manual clock and the scheduler fires nothing by itself: the
 * queues are run with "run now" in pipeline order, and the simulator is let finish its processing
 * (settle) between the steps, so nothing waits for real time.
 */

export const TOKEN = 'e2e-pipeline-token-0123456789abcdef';

/** The outgoing pipeline, in the order its queues hand work to each other. */
export const OUTGOING_PIPELINE = ['send-documents', 'process-sessions', 'process-upo', 'update-ledgers'] as const satisfies readonly CodeUnitId[];

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, any> | undefined;
}

export interface RunRow {
  readonly runId: string;
  readonly status: string;
  readonly counters?: Record<string, number>;
  readonly errorMessage?: string;
  readonly [key: string]: unknown;
}

export interface PipelineOptions {
  /** Keep everything in memory (default) or under this data directory (for restarts). */
  readonly dataDir?: string;
  /** The company (KSEF_NIP); local mode's default test NIP when absent. */
  readonly companyNip?: string;
  /** Local mode's environment (KSEF_* …); nothing from this process's environment leaks in. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly runtimeOptions?: LocalRuntimeOptions;
}

export class LocalPipeline {
  private constructor(
    readonly config: LocalConfig,
    readonly clock: ManualClock,
    private readonly options: PipelineOptions,
    public runtime: LocalRuntime,
  ) {}

  static async start(clock: ManualClock, options: PipelineOptions = {}): Promise<LocalPipeline> {
    const config: LocalConfig = {
      port: 0,
      host: '127.0.0.1',
      apiToken: TOKEN,
      apiTokenGenerated: false,
      dataDir: options.dataDir ?? '/nonexistent/in-memory',
      logLevel: 'ERROR',
      ...(options.companyNip === undefined ? {} : { companyNip: options.companyNip }),
    };
    const runtime = await startLocalRuntime(config, LocalPipeline.runtimeOptions(clock, options));
    return new LocalPipeline(config, clock, options, runtime);
  }

  private static runtimeOptions(clock: ManualClock, options: PipelineOptions): LocalRuntimeOptions {
    return {
      clock,
      timers: 'manual',
      inMemory: options.dataDir === undefined,
      env: { ...options.env },
      // Local mode makes the KSeF client wait (rate budget, Retry-After, polling) on this manual clock.
      ksef: { client: { onWarning: () => undefined } },
      ...options.runtimeOptions,
    };
  }

  /** The simulator local mode sends to (local mode's default KSeF endpoint). */
  get sim(): KsefSimulator {
    const sim = this.runtime.ksef.simulator;
    if (!sim) throw new Error('local mode runs no KSeF simulator of its own here');
    return sim;
  }

  /** The NIP local mode acts for: the seller of every invoice it takes. */
  get companyNip(): string {
    return this.runtime.documents.companyNip;
  }

  /** Stops the runtime (after its running jobs) and starts it again on the same data directory. */
  async restart(runtimeOptions: LocalRuntimeOptions = {}): Promise<void> {
    await this.runtime.close();
    this.runtime = await startLocalRuntime(this.config, { ...LocalPipeline.runtimeOptions(this.clock, this.options), ...runtimeOptions });
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }

  async call(method: string, path: string, init: { json?: unknown; xml?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.xml !== undefined) {
      headers['content-type'] = 'application/xml';
      body = init.xml;
    }
    const response = await fetch(`${this.runtime.apiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as Record<string, any>) : undefined;
    return { status: response.status, headers: response.headers, text, body: json };
  }

  /** Moves time on and lets the scheduler fire what fell due, then waits for those runs to end. */
  async advanceMinutes(minutes: number): Promise<void> {
    await this.runtime.scheduler.advanceTo(new Date(this.clock.now().getTime() + minutes * 60_000));
    await this.runtime.idle();
  }

  /** Creates the five entries (On Hold with the defaults; an existing one is returned as it is). */
  async createQueues(): Promise<void> {
    for (const codeUnit of CODE_UNIT_IDS) {
      const reply = await this.call('POST', `/queues/${codeUnit}`);
      expect([200, 201], `POST /queues/${codeUnit}`).toContain(reply.status);
    }
  }

  /** "Run now" through the API; waits for the run to end and answers with its run-log row. */
  async runNow(codeUnit: CodeUnitId): Promise<RunRow> {
    const accepted = await this.call('POST', `/queues/${codeUnit}/run`);
    expect(accepted.status, `POST /queues/${codeUnit}/run`).toBe(202);
    await this.runtime.idle();
    const row = await this.call('GET', `/queues/${codeUnit}/runs/${accepted.body?.runId as string}`);
    expect(row.status).toBe(200);
    return row.body as RunRow;
  }

  /** Every page of a list endpoint. */
  async listAll(path: string): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const reply = await this.call('GET', `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(reply.status, `GET ${path}`).toBe(200);
      items.push(...(reply.body?.items as Record<string, any>[]));
      cursor = (reply.body?.nextCursor as string | null) ?? null;
    } while (cursor);
    return items;
  }

  /** The document cards (GET /documents/{id}) of every outgoing document. */
  async documentCards(): Promise<Record<string, any>[]> {
    const cards: Record<string, any>[] = [];
    for (const summary of await this.listAll('/documents')) {
      const card = await this.call('GET', `/documents/${encodeURIComponent(summary.id as string)}`);
      expect(card.status).toBe(200);
      cards.push(card.body ?? {});
    }
    return cards;
  }

  /**
   * Runs the outgoing queues in pipeline order, letting the simulator finish between the steps,
   * until every document is Accepted (or Rejected) with its UPO, or `maxRounds` rounds have run.
   * Answers with every run-log row, by code unit, in the order they ran.
   */
  async driveOutgoing(maxRounds = 6, beforeEachRound: (round: number) => void | Promise<void> = () => undefined): Promise<Record<CodeUnitId, RunRow[]>> {
    const rows = Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, [] as RunRow[]])) as Record<CodeUnitId, RunRow[]>;
    for (let round = 1; round <= maxRounds; round++) {
      await beforeEachRound(round);
      for (const codeUnit of OUTGOING_PIPELINE) {
        rows[codeUnit].push(await this.runNow(codeUnit));
        await this.sim.settle();
      }
      const final = (await this.listAll('/documents')).every((doc) => doc.status === 'Accepted' || doc.status === 'Rejected');
      if (final && (await this.documentCards()).every((card) => card.status === 'Rejected' || card.upoPresent === true)) break;
    }
    return rows;
  }

  /** The simulator's stored invoices of the company as seller, counted by invoice hash. */
  salesByHash(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const invoice of this.sim.state.invoicesByKsefNumber.values()) {
      if (invoice.facts.sellerNip !== this.companyNip) continue;
      counts.set(invoice.invoiceHash, (counts.get(invoice.invoiceHash) ?? 0) + 1);
    }
    return counts;
  }
}

/** Sums one counter over run-log rows. */
export function total(rows: readonly RunRow[], counter: string): number {
  return rows.reduce((sum, row) => sum + (row.counters?.[counter] ?? 0), 0);
}
