import type { OutgoingDocument } from '../../domain/documents.js';
import { StorageError, VersionConflictError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { DocumentRepository } from '../../ports/document-repository.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { KsefGateway } from '../../ports/ksef-gateway.js';
import type { KsefSessionRecord, KsefSessionRepository } from '../../ports/ksef-session-repository.js';
import type { RunBudget } from './run-budget.js';
import type { SendDocumentsConfig } from './send-config.js';

export interface SendDocumentsDeps {
  readonly documents: DocumentRepository;
  readonly store: DocumentStore;
  readonly sessions: KsefSessionRepository;
  readonly ksef: KsefGateway;
  /** Defaults to the run's clock. */
  readonly clock?: Clock;
  readonly config?: Partial<SendDocumentsConfig>;
}

export interface SendCounters {
  sent: number;
  reconciled: number;
  heldOffline: number;
  failed: number;
  sessionsOpened: number;
  batches: number;
  returnedToPending: number;
  /** Held for an admin after too many failed sends (see afterFailedSend). */
  heldAfterFailures: number;
}

/** What one run of send-documents works with. */
export interface SendRun {
  readonly deps: Required<Omit<SendDocumentsDeps, 'config' | 'clock'>>;
  readonly config: SendDocumentsConfig;
  readonly clock: Clock;
  readonly budget: RunBudget;
  readonly runId: string;
  readonly counters: SendCounters;
  /**
   * What went wrong in a way the on-call admin must hear about (not a refusal of one invoice, which
   * is recorded on it, nor "not now"). The run records everything, then fails with these.
   */
  readonly problems: string[];
}

export const BY = 'send-documents';

export const changeAt = (run: SendRun, note?: string) => ({ at: run.clock.now().toISOString(), by: BY, ...(note === undefined ? {} : { note }) });

/**
 * Stores `next` if the document is still the version it was read as; null when another writer got
 * there first (the document is left to whoever moved it).
 */
export async function updateIfUnchanged(run: SendRun, before: OutgoingDocument, next: OutgoingDocument): Promise<OutgoingDocument | null> {
  try {
    return await run.deps.documents.update(next, before.version);
  } catch (error) {
    if (error instanceof VersionConflictError) return null;
    throw error;
  }
}

export async function readXml(run: SendRun, doc: OutgoingDocument): Promise<Uint8Array> {
  const xml = await run.deps.store.get(doc.xmlKey);
  if (xml === undefined) throw new StorageError(`The XML of document '${doc.id}' is missing from the document store (${doc.xmlKey}).`);
  return xml;
}

/**
 * Writes `change(current)` to a session record, re-reading it after a version conflict (e.g.
 * process-sessions polled the session meanwhile) and applying the change again. `change` returns
 * null when the record as it now stands needs nothing from this writer; so does `patchSession`.
 */
export async function patchSession(run: SendRun, record: KsefSessionRecord, change: (current: KsefSessionRecord) => KsefSessionRecord | null): Promise<KsefSessionRecord | null> {
  let current = record;
  for (let attempt = 1; ; attempt++) {
    const next = change(current);
    if (next === null) return null;
    try {
      return await run.deps.sessions.update(next, current.version);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= 5) throw error;
      const fresh = await run.deps.sessions.get(record.id);
      if (fresh === undefined) throw error;
      current = fresh;
    }
  }
}

/** Records, before anything is sent into it, the session that `docs` go into (the intent). */
export function createSessionRecord(
  run: SendRun,
  session: { readonly id: string; readonly kind: KsefSessionRecord['kind']; readonly referenceNumber: string | null },
  docs: readonly OutgoingDocument[],
): Promise<KsefSessionRecord> {
  const openedAt = run.clock.now().toISOString();
  return run.deps.sessions.create({
    ...session,
    documentIds: docs.map((doc) => doc.id),
    openedAt,
    closedAt: null,
    uploadDeadline: null,
    status: null,
    settled: false,
    upoPages: null,
    invoiceUposDone: false,
    updatedAt: openedAt,
    version: 1,
  });
}
