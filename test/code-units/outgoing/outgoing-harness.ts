import { createHash } from 'node:crypto';
import { HttpKsefGateway } from '../../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { MemoryDocumentRepository } from '../../../functions/adapters/memory/memory-document-repository.js';
import { MemoryDocumentStore } from '../../../functions/adapters/memory/memory-document-store.js';
import { MemoryKsefSessionRepository } from '../../../functions/adapters/memory/memory-ksef-session-repository.js';
import { fa3Parser } from '../../../functions/adapters/xml/fa3-parser.js';
import { newOutgoingDocument, warsawDay, type OutgoingDocument } from '../../../functions/domain/documents.js';
import { createKsefSimulator, type KsefSimulator } from '../../../functions/ksef-sim/simulator.js';
import type { Clock } from '../../../functions/ports/clock.js';
import type { CodeUnitContext } from '../../../functions/ports/code-unit.js';
import { documentBlobKeys } from '../../../functions/ports/document-store.js';
import { SendFailuresError } from '../../../functions/code-units/send-documents/send-failures-error.js';
import { makeEntry } from '../../helpers/entry-factory.js';
import { SELLER_NIP } from '../../helpers/fa3-invoice-factory.js';
import { RecordingLogger } from '../../helpers/recording-logger.js';

/**
 * One virtual time for the whole world of a test: the simulator's clock, the client's timer (so
 * Retry-After and rate-budget waits advance it instead of sleeping) and the code units' clock.
 * It starts at a fixed working-day morning, not at the real time: a test that moves time on from
 * near midnight in Warsaw would see today's invoices become offline ones (held) and fail by the hour.
 */
export const VIRTUAL_START = '2026-06-10T08:00:00Z';

export class VirtualTime {
  #now: number;
  constructor(start: string = VIRTUAL_START) {
    this.#now = Date.parse(start);
  }
  readonly clock: Clock = { now: () => new Date(this.#now) };
  readonly timer = {
    now: () => this.#now,
    sleep: async (ms: number) => {
      this.#now += ms;
    },
  };
  advance(ms: number): void {
    this.#now += ms;
  }
}

export const NIP = SELLER_NIP;

export async function startSimulator(time: VirtualTime): Promise<KsefSimulator> {
  return createKsefSimulator({ clock: time.clock, rateLimits: false });
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
}

/** Memory repositories and a real HTTP client logged in to the simulator, with every request written down. */
export function makeWorld(sim: KsefSimulator, time: VirtualTime) {
  const seen: SeenRequest[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push({ method: init?.method ?? 'GET', path: url.pathname.replace(/^\/v2/, '') });
    return fetch(input, init);
  };
  const newGateway = () =>
    new HttpKsefGateway({
      environment: { name: 'LOCAL', baseUrl: sim.url },
      nip: NIP,
      credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
      timer: time.timer,
      onWarning: () => undefined,
      sendOnce: { reconcileDelayMs: 100 },
      fetchImpl,
    });
  const documents = new MemoryDocumentRepository();
  const store = new MemoryDocumentStore();
  const sessions = new MemoryKsefSessionRepository();
  let ids = 0;
  let runs = 0;
  return {
    seen,
    documents,
    store,
    sessions,
    /** A fresh client, as a new Lambda container would have (session keys are per process). */
    newGateway,
    ksef: newGateway(),
    /** Stores the XML and a Pending document, as submitDocument does after validation. */
    async submit(xml: string): Promise<OutgoingDocument> {
      const bytes = Buffer.from(xml, 'utf8');
      const contentSha256 = createHash('sha256').update(bytes).digest('base64');
      const xmlKey = documentBlobKeys.outgoingXml(contentSha256);
      await store.put(xmlKey, bytes);
      const at = time.clock.now().toISOString();
      const id = `doc-${String(++ids).padStart(5, '0')}`;
      const created = await documents.create(newOutgoingDocument({ id, fields: fa3Parser.parse(xml), contentSha256, sizeBytes: bytes.length, xmlKey, submittedBy: 'admin', at }));
      return created.document;
    },
    context(overrides: Partial<CodeUnitContext> = {}): CodeUnitContext {
      return {
        runId: `run-${++runs}`,
        trigger: 'schedule',
        attempt: 1,
        entry: makeEntry(),
        clock: time.clock,
        deadline: new Date(time.clock.now().getTime() + 15 * 60_000),
        signal: new AbortController().signal,
        logger: new RecordingLogger(),
        ...overrides,
      };
    },
    async all(): Promise<OutgoingDocument[]> {
      return (await documents.list({ limit: 100 })).items;
    },
    ksefRequests(): SeenRequest[] {
      return seen.filter((r) => !r.path.startsWith('/_'));
    },
  };
}

export type World = ReturnType<typeof makeWorld>;

/** Today in Warsaw, as the simulator sees it: an invoice issued today is not marked offline. */
export function today(time: VirtualTime): string {
  return warsawDay(time.clock.now());
}

/** How many invoices with this seller and number the simulator holds (KSeF's duplicate key). */
export function heldBySimulator(sim: KsefSimulator, invoiceNumber: string): number {
  return [...sim.state.invoicesByKsefNumber.values()].filter((i) => i.facts.sellerNip === NIP && i.facts.invoiceNumber === invoiceNumber).length;
}

/**
 * A send-documents run that met a failure the on-call admin must hear of: it records everything,
 * then ends in Error (SendFailuresError, which carries its counters). Fails the test otherwise.
 */
export async function failingRun(run: Promise<unknown>): Promise<SendFailuresError> {
  const outcome = await run.then(
    () => new Error('the run should have ended in Error'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof SendFailuresError)) throw outcome;
  return outcome;
}
