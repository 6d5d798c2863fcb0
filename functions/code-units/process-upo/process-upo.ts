import { attachUpo, noUpoReason, recordNoUpo, type OutgoingDocument } from '../../domain/documents.js';
import { ConflictError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { CodeUnit, CodeUnitContext, CodeUnitResult } from '../../ports/code-unit.js';
import type { DocumentRepository } from '../../ports/document-repository.js';
import { documentBlobKeys, type DocumentStore } from '../../ports/document-store.js';
import { KsefApiError } from '../../ports/ksef-errors.js';
import type { KsefGateway, XmlDocument } from '../../ports/ksef-gateway.js';
import type { KsefSessionRecord, KsefSessionRepository } from '../../ports/ksef-session-repository.js';
import { finishRun, forEachSession, isRateLimited } from '../process-sessions/session-by-session.js';
import { DEFAULT_SAFETY_MARGIN_MS, RunBudget } from '../send-documents/run-budget.js';

export interface ProcessUpoDeps {
  readonly documents: DocumentRepository;
  readonly store: DocumentStore;
  readonly sessions: KsefSessionRepository;
  readonly ksef: KsefGateway;
  /** Defaults to the run's clock. */
  readonly clock?: Clock;
  readonly config?: { readonly safetyMarginMs?: number };
}

const BY = 'process-upo';

interface Counters {
  upoStored: number;
  sessionUpoStored: number;
  /** UPOs left for a later run because KSeF's rate limit or the run's time ran out (shown only when some were). */
  upoPostponed: number;
  /** Accepted documents found to have no UPO to fetch, with the reason in their history (shown only when some were). */
  upoUnavailable: number;
}

/**
 * process-upo: stores the UPO (official receipt) of every Accepted document that has none yet and
 * every page of the UPO of every processed session (status 200), and links each invoice UPO to its
 * document. Idempotent: the store is write-once by key (the same bytes again are a no-op), a key
 * already holding a UPO is linked as it is, and a session is marked done only when all is stored.
 * One session failing does not hold up the others (see forEachSession). A session of 10,000 invoices
 * needs 10,000 UPO downloads (1,200 an hour, README §9): the run stops at its time budget or at KSeF's
 * rate limit, ends in Success counting what it left (`upoPostponed`), and the next run goes on.
 */
export function createProcessUpoCodeUnit(deps: ProcessUpoDeps): CodeUnit {
  return { id: 'process-upo', run: (context) => runProcessUpo(deps, context) };
}

async function runProcessUpo(deps: ProcessUpoDeps, context: CodeUnitContext): Promise<CodeUnitResult> {
  const clock = deps.clock ?? context.clock;
  const budget = new RunBudget(context, deps.config?.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS);
  const counters: Counters = { upoStored: 0, sessionUpoStored: 0, upoPostponed: 0, upoUnavailable: 0 };
  const withReference = (await deps.sessions.listUnfinished()).filter((record) => record.referenceNumber !== null);
  const outcome = await forEachSession(context.logger, withReference, budget, (record) => storeSessionUpos(deps, clock, budget, record, counters));
  const { upoPostponed, upoUnavailable, ...always } = counters;
  return finishRun(BY, { ...always, ...(upoPostponed > 0 ? { upoPostponed } : {}), ...(upoUnavailable > 0 ? { upoUnavailable } : {}) }, outcome);
}

/** 'stop' when KSeF's rate limit or the run's time ran out: the rest waits for the next run. */
async function storeSessionUpos(deps: ProcessUpoDeps, clock: Clock, budget: RunBudget, record: KsefSessionRecord, counters: Counters): Promise<'next' | 'stop'> {
  const ref = record.referenceNumber as string;
  const { signal } = budget;
  let invoiceUposDone = record.settled;
  let stopped = false;
  for (const id of record.documentIds) {
    const doc = await deps.documents.get(id);
    if (!waitsForUpo(doc, ref)) continue;
    stopped ||= !budget.hasTime();
    if (!stopped) {
      try {
        const upo = await invoiceUpo(deps, signal, ref, doc);
        if (typeof upo === 'string') {
          await deps.documents.update(recordNoUpo(doc, { at: clock.now().toISOString(), by: BY, reason: upo }), doc.version);
          counters.upoUnavailable++;
          continue;
        }
        const xml = Buffer.from(upo.xml, 'utf8');
        const key = documentBlobKeys.invoiceUpo(doc.ksefNumber as string);
        await putOnce(deps.store, key, xml);
        await deps.documents.update(attachUpo(doc, key, clock.now().toISOString()), doc.version);
        counters.upoStored++;
        continue;
      } catch (error) {
        if (!isRateLimited(error) && budget.hasTime()) throw error;
        stopped = true;
      }
    }
    counters.upoPostponed++;
  }
  if (stopped) return 'stop';
  // Re-read: a document accepted after the loop above must not be missed.
  if (invoiceUposDone) {
    const docs = await Promise.all(record.documentIds.map((id) => deps.documents.get(id)));
    invoiceUposDone = docs.every((doc) => !waitsForUpo(doc, ref));
  }
  let upoPages = record.upoPages;
  if (record.settled && record.status?.code === 200 && upoPages === null) {
    if (!budget.hasTime()) return postponeSessionUpo(counters);
    let pages: XmlDocument[];
    try {
      pages = await deps.ksef.downloadSessionUpo(ref, signal);
    } catch (error) {
      if (!isRateLimited(error) && budget.hasTime()) throw error;
      return postponeSessionUpo(counters);
    }
    for (const [index, page] of pages.entries()) await putOnce(deps.store, documentBlobKeys.sessionUpo(ref, index + 1), Buffer.from(page.xml, 'utf8'));
    if (pages.length > 0) {
      upoPages = pages.length;
      counters.sessionUpoStored += pages.length;
    }
  }
  if (upoPages !== record.upoPages || invoiceUposDone !== record.invoiceUposDone) {
    await deps.sessions.update({ ...record, upoPages, invoiceUposDone, updatedAt: clock.now().toISOString() }, record.version);
  }
  return 'next';
}

/** An Accepted document of this session with neither its UPO nor a recorded reason why it has none. */
function waitsForUpo(doc: OutgoingDocument | undefined, ref: string): doc is OutgoingDocument {
  return doc !== undefined && doc.sessionReferenceNumber === ref && doc.status === 'Accepted' && doc.upoKey === null && noUpoReason(doc) === null;
}

/**
 * The invoice's own UPO, or why there is none. A document accepted as a duplicate (440) has the
 * KSeF number of an earlier submission, whose UPO lives in that submission's session (named in the
 * 440's extensions): found there by hash. A session KSeF does not name, or that does not hold the
 * original (ksef-api #450: wrong for batch duplicates), leaves the document without a UPO.
 */
async function invoiceUpo(deps: ProcessUpoDeps, signal: AbortSignal, ref: string, doc: OutgoingDocument): Promise<XmlDocument | string> {
  if (doc.duplicateOf === null) {
    if (doc.invoiceReferenceNumber === null) return 'it was accepted without an invoice reference number, which the UPO download needs';
    return deps.ksef.downloadInvoiceUpo(ref, doc.invoiceReferenceNumber, signal);
  }
  const { ksefNumber, sessionReferenceNumber: originalSession } = doc.duplicateOf;
  const what = `KSeF took it as a duplicate (440) of ${ksefNumber}, whose UPO is in the session of the original`;
  if (originalSession === null) return `${what}, and KSeF did not name that session`;
  let original;
  try {
    original = await deps.ksef.findInvoiceByHash(originalSession, doc.contentSha256, signal);
  } catch (error) {
    if (error instanceof KsefApiError && error.status >= 400 && error.status < 500 && !isRateLimited(error)) return `${what} ${originalSession}, which KSeF refuses to show: ${error.message}`;
    throw error;
  }
  if (original?.ksefNumber !== ksefNumber) return `${what} ${originalSession}, which holds no invoice with this content and KSeF number`;
  return deps.ksef.downloadInvoiceUpo(originalSession, original.referenceNumber, signal);
}

/** A UPO fetched again may differ in bytes (e.g. a newer signature); the one stored first stays. */
async function putOnce(store: DocumentStore, key: string, content: Uint8Array): Promise<void> {
  try {
    await store.put(key, content);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

function postponeSessionUpo(counters: Counters): 'stop' {
  counters.upoPostponed++;
  return 'stop';
}
