import { createHash } from 'node:crypto';
import { MemoryDocumentRepository } from '../../functions/adapters/memory/memory-document-repository.js';
import { MemoryDocumentStore } from '../../functions/adapters/memory/memory-document-store.js';
import { MemoryKsefSessionRepository } from '../../functions/adapters/memory/memory-ksef-session-repository.js';
import { parseFa3 } from '../../functions/adapters/xml/fa3-parser.js';
import { createProcessSessionsCodeUnit } from '../../functions/code-units/process-sessions/process-sessions.js';
import { createSendDocumentsCodeUnit } from '../../functions/code-units/send-documents/send-documents.js';
import { newOutgoingDocument, warsawDay } from '../../functions/domain/documents.js';
import type { CodeUnit, CodeUnitContext } from '../../functions/ports/code-unit.js';
import { documentBlobKeys } from '../../functions/ports/document-store.js';
import { makeEntry } from '../helpers/entry-factory.js';
import { makeInvoiceBatch } from '../helpers/fa3-invoice-factory.js';
import { startKsef, type LoggedRequest } from './ksef-setup.js';
import { WarpClock } from './warp-clock.js';
import { RecordingLogger } from '../helpers/recording-logger.js';

/** A Lambda's 15 minutes, as the code units' job timeout. */
const RUN_TIMEOUT_MS = 15 * 60_000;
const MAX_POLLING_RUNS = 5;

export interface BacklogResult {
  readonly invoices: number;
  /** Every request of the client: login, send-documents, then process-sessions until all have a KSeF number. */
  readonly requests: readonly LoggedRequest[];
  readonly accepted: number;
  readonly sendRuns: number;
  readonly pollingRuns: number;
  /** Virtual time from the first request to the last outcome: real work plus the waits the rate budget skipped. */
  readonly elapsedMs: number;
  /** Of that, the waits (rate budget, Retry-After, polling pauses) that were skipped, not slept. */
  readonly waitedMs: number;
  readonly counters: Record<string, unknown>;
}

/**
 * A backlog of `count` Pending invoices (seeded straight into the memory repository: submission is
 * not what is measured) sent by the real send-documents code unit through the real client to the
 * simulator with the PRODUCTION rate limits, then polled by process-sessions until every invoice has
 * its KSeF number. Client and simulator share a warp clock, so the client's rate budget waits in
 * virtual time and the simulator's limiter judges the requests in that same time.
 */
export async function runBacklog(count: number): Promise<BacklogResult> {
  const clock = new WarpClock();
  const ksef = await startKsef({ sim: { clock }, timer: clock.asTimer, now: () => clock.nowMs() });
  try {
    const documents = new MemoryDocumentRepository();
    const store = new MemoryDocumentStore();
    const sessions = new MemoryKsefSessionRepository();
    await seedPending(documents, store, count, warsawDay(clock.now()));

    const send = createSendDocumentsCodeUnit({ documents, store, sessions, ksef: ksef.gateway });
    const poll = createProcessSessionsCodeUnit({ documents, sessions, ksef: ksef.gateway });
    const start = clock.nowMs();
    const skippedBefore = clock.skippedMs;
    const counters: Record<string, unknown> = {};
    let sendRuns = 0;
    // send-documents stops at its time budget and leaves the rest for its next run.
    while ((await documents.list({ status: 'Pending', limit: 1 })).items.length > 0 && sendRuns < 10) {
      Object.assign(counters, prefixed('send.', (await runOnce(send, clock, ++sendRuns)).counters));
    }
    let pollingRuns = 0;
    let accepted = 0;
    while (pollingRuns < MAX_POLLING_RUNS) {
      await ksef.sim.settle();
      Object.assign(counters, prefixed('poll.', (await runOnce(poll, clock, ++pollingRuns)).counters));
      accepted = await countAccepted(documents);
      if (accepted === count) break;
    }
    return {
      invoices: count,
      requests: [...ksef.requests],
      accepted,
      sendRuns,
      pollingRuns,
      elapsedMs: clock.nowMs() - start,
      waitedMs: clock.skippedMs - skippedBefore,
      counters,
    };
  } finally {
    await ksef.close();
  }
}

async function seedPending(documents: MemoryDocumentRepository, store: MemoryDocumentStore, count: number, issueDate: string): Promise<void> {
  const xmls = makeInvoiceBatch(count, { prefix: 'FV/BACKLOG', issueDate });
  // Every factory invoice has the same fields but its number: parse one, not ten thousand.
  const fields = parseFa3(xmls[0] as string);
  for (const [i, xml] of xmls.entries()) {
    const bytes = Buffer.from(xml, 'utf8');
    const contentSha256 = createHash('sha256').update(bytes).digest('base64');
    const xmlKey = documentBlobKeys.outgoingXml(contentSha256);
    await store.put(xmlKey, bytes);
    const invoiceNumber = `FV/BACKLOG/${String(i + 1).padStart(5, '0')}`;
    await documents.create(
      newOutgoingDocument({
        id: `doc-${String(i + 1).padStart(5, '0')}`,
        fields: { ...fields, invoiceNumber },
        contentSha256,
        sizeBytes: bytes.byteLength,
        xmlKey,
        submittedBy: 'bench@example.com',
        at: new Date().toISOString(),
      }),
    );
  }
}

function runOnce(unit: CodeUnit, clock: WarpClock, n: number) {
  const controller = new AbortController();
  const context: CodeUnitContext = {
    runId: `bench-${unit.id}-${n}`,
    trigger: 'schedule',
    attempt: 1,
    entry: makeEntry({ codeUnit: unit.id, status: 'InProcess' }),
    clock,
    deadline: new Date(clock.nowMs() + RUN_TIMEOUT_MS),
    signal: controller.signal,
    logger: new RecordingLogger(),
  };
  return unit.run(context);
}

async function countAccepted(documents: MemoryDocumentRepository): Promise<number> {
  let accepted = 0;
  let cursor: string | null = null;
  do {
    const page = await documents.list({ status: 'Accepted', limit: 100, cursor });
    accepted += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return accepted;
}

function prefixed(prefix: string, counters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(counters).map(([k, v]) => [`${prefix}${k}`, v]));
}
