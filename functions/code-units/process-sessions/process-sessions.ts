import {
  afterKsefCancellation,
  afterPackageRefused,
  isKsefResendCode,
  recordAccepted,
  recordDuplicateReconciled,
  recordRejected,
  recordSent,
  returnToPending,
  type OutgoingDocument,
} from '../../domain/documents.js';
import type { Clock } from '../../ports/clock.js';
import type { CodeUnit, CodeUnitContext, CodeUnitResult } from '../../ports/code-unit.js';
import type { DocumentRepository } from '../../ports/document-repository.js';
import type { KsefGateway, SessionInvoice, SessionState } from '../../ports/ksef-gateway.js';
import type { KsefSessionRecord, KsefSessionRepository } from '../../ports/ksef-session-repository.js';
import { KsefApiError } from '../../ports/ksef-errors.js';
import { DEFAULT_SAFETY_MARGIN_MS, RunBudget } from '../send-documents/run-budget.js';
import { finishRun, forEachSession, isRateLimited } from './session-by-session.js';
import { updateDocument } from './update-document.js';

export interface ProcessSessionsDeps {
  readonly documents: DocumentRepository;
  readonly sessions: KsefSessionRepository;
  readonly ksef: KsefGateway;
  /** Defaults to the run's clock. */
  readonly clock?: Clock;
  readonly config?: {
    readonly safetyMarginMs?: number;
    /** Resends after KSeF cancels an invoice (405/550) or refuses its batch package, before it is recorded Rejected; default MAX_RESENDS_AFTER_KSEF_CANCELLATION. */
    readonly maxResendsAfterCancellation?: number;
  };
}

interface Counters {
  accepted: number;
  rejected: number;
  stillProcessing: number;
  duplicatesReconciled: number;
  /** Cancelled by KSeF (405/550), or out of a batch KSeF ended without it, and put back to Pending for send-documents. */
  returnedToPending: number;
  sessionsSettled: number;
}

const BY = 'process-sessions';

/**
 * process-sessions: for every session this system opened that still has documents without an
 * outcome, reads the session status and its invoice list (one paged list per session rather than a
 * status call per invoice: README §9 limits both, the list covers 1,000 invoices a request) and
 * records the KSeF number and acquisition date, or the rejection with KSeF's code, description and
 * details. An invoice at 100/150 stays Sent and is polled again next run; it is never resent.
 * One KSeF cancelled (405/550, "retry") goes back to Pending to be sent again, a bounded number of times.
 * Documents of an online session still in Sending belong to send-documents (it may be sending them now).
 * One session failing does not hold up the others (see forEachSession); the run still ends in Error
 * when a failure is not transient, so that the admin hears of it.
 */
export function createProcessSessionsCodeUnit(deps: ProcessSessionsDeps): CodeUnit {
  return { id: 'process-sessions', run: (context) => runProcessSessions(deps, context) };
}

async function runProcessSessions(deps: ProcessSessionsDeps, context: CodeUnitContext): Promise<CodeUnitResult> {
  const clock = deps.clock ?? context.clock;
  const budget = new RunBudget(context, deps.config?.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS);
  const counters: Counters = { accepted: 0, rejected: 0, stillProcessing: 0, duplicatesReconciled: 0, returnedToPending: 0, sessionsSettled: 0 };
  const unsettled = (await deps.sessions.listUnfinished()).filter((record) => !record.settled && record.referenceNumber !== null);
  const outcome = await forEachSession(context.logger, unsettled, budget, async (record) => {
    await pollSession(deps, clock, budget.signal, record, counters);
    return 'next';
  });
  return finishRun(BY, { ...counters }, outcome);
}

async function pollSession(deps: ProcessSessionsDeps, clock: Clock, signal: AbortSignal, record: KsefSessionRecord, counters: Counters): Promise<void> {
  const ref = record.referenceNumber as string;
  const docs = (await Promise.all(record.documentIds.map((id) => deps.documents.get(id)))).filter(
    (doc): doc is OutgoingDocument => doc !== undefined && (doc.sessionReferenceNumber === ref || doc.sessionReferenceNumber === record.id),
  );
  const open = docs.filter((doc) => doc.status === 'Sent' || (doc.status === 'Sending' && record.kind === 'Batch'));
  const state = await deps.ksef.getSessionState(ref, signal);
  const sessionDone = state.status.code >= 200;
  let waiting = docs.filter((doc) => doc.status === 'Sending').length - open.filter((doc) => doc.status === 'Sending').length;
  if (open.length > 0) {
    const invoices = await deps.ksef.listSessionInvoices(ref, {}, signal);
    const byRef = new Map(invoices.map((invoice) => [invoice.referenceNumber, invoice]));
    const byHash = new Map(invoices.map((invoice) => [invoice.invoiceHash, invoice]));
    for (const doc of open) {
      const invoice = (doc.invoiceReferenceNumber ? byRef.get(doc.invoiceReferenceNumber) : undefined) ?? byHash.get(doc.contentSha256);
      const settledNow = await recordOutcome(deps, clock, signal, ref, doc, invoice, sessionDone ? state.status : null, counters);
      if (!settledNow) waiting++;
    }
  }
  const at = clock.now().toISOString();
  const settled = sessionDone && waiting === 0;
  if (settled) counters.sessionsSettled++;
  await deps.sessions.update({ ...record, status: { code: state.status.code, description: state.status.description }, settled, updatedAt: at }, record.version);
}

/** Records what KSeF says about one document; false while it is still being processed. */
async function recordOutcome(
  deps: ProcessSessionsDeps,
  clock: Clock,
  signal: AbortSignal,
  ref: string,
  doc: OutgoingDocument,
  invoice: SessionInvoice | undefined,
  finalSessionStatus: SessionState['status'] | null,
  counters: Counters,
): Promise<boolean> {
  const change = (note?: string) => ({ at: clock.now().toISOString(), by: BY, ...(note === undefined ? {} : { note }) });
  if (invoice === undefined) {
    if (finalSessionStatus !== null && doc.status === 'Sending') {
      const next = outOfEndedBatch(deps, change(), ref, doc, finalSessionStatus);
      await updateDocument(deps.documents, doc, next);
      if (next.status === 'Pending') counters.returnedToPending++;
      else counters.rejected++;
      return true;
    }
    counters.stillProcessing++;
    return false;
  }
  // A batch document learns its session and invoice reference here.
  const sent = doc.status === 'Sending' ? recordSent(doc, { ...change(), sessionReferenceNumber: ref, invoiceReferenceNumber: invoice.referenceNumber }) : doc;
  const { code } = invoice.status;
  if (code < 200) {
    counters.stillProcessing++;
    if (sent !== doc) await updateDocument(deps.documents, doc, sent);
    return false;
  }
  if (code === 200) {
    // The acquisition date is the legal date of receipt (README §8): never made up, asked again next run.
    if (!invoice.ksefNumber || !invoice.acquisitionDate) {
      counters.stillProcessing++;
      if (sent !== doc) await updateDocument(deps.documents, doc, sent);
      return false;
    }
    await updateDocument(deps.documents, doc, recordAccepted(sent, { ...change(), ksefNumber: invoice.ksefNumber, acquisitionDate: invoice.acquisitionDate, invoiceReferenceNumber: invoice.referenceNumber }));
    counters.accepted++;
    return true;
  }
  const original = code === 440 ? await compareWithOriginal(deps.ksef, signal, doc, invoice) : null;
  if (original === 'not-now') {
    counters.stillProcessing++;
    if (sent !== doc) await updateDocument(deps.documents, doc, sent);
    return false;
  }
  if (original === 'same') {
    const ext = invoice.status.extensions ?? {};
    await updateDocument(
      deps.documents,
      doc,
      recordDuplicateReconciled(sent, {
        ...change('KSeF already held this invoice (440); the original has the same hash'),
        originalKsefNumber: String(ext['originalKsefNumber']),
        originalSessionReferenceNumber: typeof ext['originalSessionReferenceNumber'] === 'string' ? ext['originalSessionReferenceNumber'] : null,
        acquisitionDate: null,
      }),
    );
    counters.duplicatesReconciled++;
    return true;
  }
  const rejection = { code, description: invoice.status.description, details: [...invoice.status.details] };
  if (isKsefResendCode(code)) {
    const next = afterKsefCancellation(sent, { ...change(), ksefStatus: rejection, sessionReferenceNumber: ref, maxResends: deps.config?.maxResendsAfterCancellation });
    await updateDocument(deps.documents, doc, next);
    if (next.status === 'Pending') counters.returnedToPending++;
    else counters.rejected++;
    return true;
  }
  await updateDocument(deps.documents, doc, recordRejected(sent, { ...change(`KSeF ${code}: ${invoice.status.description}`), rejection }));
  counters.rejected++;
  return true;
}

/**
 * A batch that ended without this invoice in it never took it into KSeF. A 440 means the session
 * was cancelled because nothing (or not all of it) arrived in its upload window, which is our side's
 * doing: back to Pending. Any other final status is KSeF refusing the package as a whole (415 key,
 * 430 decompression, 435 decryption, 445 no valid invoices, …): afterPackageRefused sends it again
 * within the limit of resends, and the admin sees KSeF's code and description in its history, and
 * in its rejection once the limit is reached.
 */
function outOfEndedBatch(deps: ProcessSessionsDeps, change: { at: string; by: string }, ref: string, doc: OutgoingDocument, status: SessionState['status']): OutgoingDocument {
  const what = `batch session ${ref} ended with ${status.code} ${status.description}`;
  if (status.code === 440) return returnToPending(doc, { ...change, note: `${what} without this invoice: it never reached KSeF` });
  const ksefStatus = { code: status.code, description: status.description, details: [...(status.details ?? []), what] };
  return afterPackageRefused(doc, { ...change, ksefStatus, sessionReferenceNumber: ref, maxResends: deps.config?.maxResendsAfterCancellation });
}

/**
 * A 440 names the original's KSeF number but not its hash (ksef-api #790): download the original
 * and compare its SHA-256 with this document's. Same bytes → the same invoice, sent before (e.g. a
 * batch whose outcome was unknown). Different bytes → a genuine clash of invoice numbers: a rejection.
 * 'not-now' when KSeF cannot give the original yet (400/21165, README §8.2) or the download limit
 * (64 an hour, §9) is spent: the document stays as it is and is compared on a later run.
 */
async function compareWithOriginal(ksef: KsefGateway, signal: AbortSignal, doc: OutgoingDocument, invoice: SessionInvoice): Promise<'same' | 'different' | 'not-now'> {
  const original = invoice.status.extensions?.['originalKsefNumber'];
  if (typeof original !== 'string' || original === '') return 'different';
  try {
    const downloaded = await ksef.downloadInvoice(original, signal);
    return (downloaded.hash ?? ksef.invoiceHash(downloaded.xml)) === doc.contentSha256 ? 'same' : 'different';
  } catch (error) {
    if (isRateLimited(error) || (error instanceof KsefApiError && error.hasCode(21165))) return 'not-now';
    throw error;
  }
}
