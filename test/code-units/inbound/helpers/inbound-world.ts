import { HttpKsefGateway } from '../../../../functions/adapters/ksef/client/http-ksef-gateway.js';
import type { Timer } from '../../../../functions/adapters/ksef/client/http/rate-budget.js';
import { MemoryDocumentRepository } from '../../../../functions/adapters/memory/memory-document-repository.js';
import { MemoryDocumentStore } from '../../../../functions/adapters/memory/memory-document-store.js';
import { MemoryIncomingDocumentRepository } from '../../../../functions/adapters/memory/memory-incoming-document-repository.js';
import { MemoryLedgerRepository } from '../../../../functions/adapters/memory/memory-ledger-repository.js';
import { MemorySyncStateRepository } from '../../../../functions/adapters/memory/memory-sync-state-repository.js';
import { fa3Parser } from '../../../../functions/adapters/xml/fa3-parser.js';
import type { CodeUnitId } from '../../../../functions/domain/catalogue.js';
import type { RunTrigger } from '../../../../functions/domain/job-queue-entry.js';
import type { ManualClock } from '../../../../functions/ksef-sim/clock.js';
import type { KsefSimulator } from '../../../../functions/ksef-sim/simulator.js';
import type { CodeUnitContext } from '../../../../functions/ports/code-unit.js';
import { makeEntry } from '../../../helpers/entry-factory.js';

/** The company this system acts for in the inbound tests (a valid NIP). */
export const COMPANY_NIP = '5265877635';
/** Suppliers and customers (valid NIPs). */
export const SUPPLIER_NIP = '7010001454';
export const CUSTOMER_NIP = '1111111111';

/** Client time that never sleeps: Retry-After and export polling advance it instead. */
export function virtualTimer(): Timer {
  let now = Date.now();
  return { now: () => Math.max(now, Date.now()), sleep: async (ms) => void (now = Math.max(now, Date.now()) + ms) };
}

/** A real HTTP client logged in to the simulator with a KSeF token of the company. */
export function gatewayFor(sim: KsefSimulator, nip = COMPANY_NIP): HttpKsefGateway {
  return new HttpKsefGateway({
    environment: { name: 'LOCAL', baseUrl: sim.url },
    nip,
    credentials: { kind: 'token', token: sim.registerKsefToken({ nip }) },
    timer: virtualTimer(),
    onWarning: () => undefined,
  });
}

/** Everything the inbound code units keep, in memory. */
export function memoryStores() {
  return {
    documents: new MemoryDocumentRepository(),
    incoming: new MemoryIncomingDocumentRepository(),
    ledger: new MemoryLedgerRepository(),
    blobs: new MemoryDocumentStore(),
    syncState: new MemorySyncStateRepository(),
    parser: fa3Parser,
  };
}

/** What the run protocol hands a code unit, with the deadline `timeoutMs` from now on `clock`. */
export function runContext(codeUnit: CodeUnitId, clock: ManualClock, options: { trigger?: RunTrigger; timeoutMs?: number; signal?: AbortSignal } = {}): CodeUnitContext {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return {
    runId: `run-${clock.now().getTime()}`,
    trigger: options.trigger ?? 'schedule',
    attempt: 1,
    entry: makeEntry({ codeUnit, status: 'InProcess', jobTimeoutSeconds: timeoutMs / 1000 }),
    clock,
    deadline: new Date(clock.now().getTime() + timeoutMs),
    signal: options.signal ?? new AbortController().signal,
  };
}
