import { KsefApiError, KsefBatchSendError } from '../../ports/ksef-errors.js';
import { moveToSending, returnToPending, warsawDay, wouldBeMarkedOffline, type OutgoingDocument } from '../../domain/documents.js';
import { KsefJobError, VersionConflictError } from '../../domain/errors.js';
import { batchMayBeProcessed, type BatchFailureStage, type BatchInvoice, type OpenedBatch, type SentBatch } from '../../ports/ksef-gateway.js';
import type { KsefSessionRecord } from '../../ports/ksef-session-repository.js';
import { classifySendFailure } from './ksef-errors.js';
import { changeAt, createSessionRecord, patchSession, readXml, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * Sends `docs` as one batch session. KSeF names the session only when it opens, inside the
 * gateway's `sendBatch`, so the intent is stored first under a local session id: the session
 * record (kind Batch, no reference yet) and every document in Sending pointing at it. The KSeF
 * reference is recorded in `onOpened`, before any part is uploaded, so from then on process-sessions
 * can poll the session whatever happens to this run. The documents keep the local id until
 * process-sessions matches KSeF's results to them by hash.
 *
 * KSeF processes a batch only after its close (README §5). So when sending fails before the close
 * went out, or KSeF refused the close, nothing of it can reach KSeF: the documents go back to
 * Pending at once. Only a close whose answer is unknown leaves them in Sending, for process-sessions.
 */
export async function sendBatch(run: SendRun, docs: readonly OutgoingDocument[], batchNumber: number): Promise<void> {
  const { ksef, sessions } = run.deps;
  const localId = `batch-${run.runId}-${batchNumber}`;
  let record = await createSessionRecord(run, { id: localId, kind: 'Batch', referenceNumber: null }, docs);
  const inBatch: OutgoingDocument[] = [];
  const invoices: BatchInvoice[] = [];
  for (const doc of docs) {
    // Up to 10,000 reads and writes: what is prepared when the time is up goes, the rest stays Pending.
    if (!run.budget.hasTime()) break;
    const xml = await readXml(run, doc);
    const intent = await updateIfUnchanged(run, doc, moveToSending(doc, { ...changeAt(run, 'in a batch session'), sessionReferenceNumber: localId, batch: true }));
    if (intent === null) continue;
    inBatch.push(intent);
    invoices.push({ fileName: `${intent.id.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, xml });
  }
  if (invoices.length === 0) {
    const why = run.budget.hasTime() ? 'every document was taken by another writer' : 'the run had no time left to prepare any document';
    const at = run.clock.now().toISOString();
    await patchSession(run, record, (current) => (current.settled ? null : { ...current, documentIds: [], settled: true, status: { code: 0, description: `nothing was sent: ${why}` }, updatedAt: at }));
    return;
  }

  const onOpened = async (referenceNumber: string, opened: OpenedBatch): Promise<void> => {
    // Conditional on the version this run wrote: if another run's recovery has taken the batch over
    // (settled it), this throws, and the gateway then uploads nothing and never closes the session.
    const at = run.clock.now().toISOString();
    const documentIds = inBatch.map((doc) => doc.id);
    record = await sessions.update({ ...record, referenceNumber, documentIds, uploadDeadline: opened.uploadDeadline, updatedAt: at }, record.version);
    run.counters.sessionsOpened++;
    // KSeF's invoicing date of a batch is when the session opened: if midnight in Warsaw has passed
    // since the plan, it would mark these invoices offline. Throwing here uploads nothing and never
    // closes the session, so KSeF processes none of it and the documents are Pending again.
    const late = inBatch.filter((doc) => wouldBeMarkedOffline(doc.fields, run.clock.now()));
    if (late.length > 0) throw new BatchDayChangedError(referenceNumber, late.length, warsawDay(run.clock.now()));
  };
  let sent: SentBatch;
  try {
    sent = await ksef.sendBatch(invoices, { offlineMode: false, onOpened }, run.budget.signal);
  } catch (error) {
    run.counters.failed += inBatch.length;
    await afterFailure(run, record, inBatch, error);
    return;
  }
  const closedAt = run.clock.now().toISOString();
  await patchSession(run, record, (current) => ({ ...current, referenceNumber: sent.sessionReferenceNumber, closedAt, updatedAt: closedAt }));
  run.counters.batches++;
  run.counters.sent += inBatch.length;
}

async function afterFailure(run: SendRun, record: KsefSessionRecord, inBatch: readonly OutgoingDocument[], error: unknown): Promise<void> {
  // A gateway that does not say how far it got may have closed the session: assume the worst.
  const stage: BatchFailureStage = error instanceof KsefBatchSendError ? error.stage : 'close-unknown';
  if (batchMayBeProcessed(stage)) return; // Sending under the recorded reference; process-sessions polls it.
  const cause = error instanceof KsefBatchSendError ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const ref = error instanceof KsefBatchSendError ? error.sessionReferenceNumber : null;
  const note = failureNote(stage, ref, reason);
  const at = run.clock.now().toISOString();
  const code = cause instanceof KsefApiError ? cause.status : 0;
  await patchSession(run, record, (current) => (current.settled ? null : { ...current, settled: true, status: { code, description: note }, updatedAt: at }));
  for (const doc of inBatch) {
    if (await updateIfUnchanged(run, doc, returnToPending(doc, changeAt(run, note)))) run.counters.returnedToPending++;
  }
  // As for online sending: a rate limit, the end of the run's time, a day change or another run
  // having taken the batch over is "not now"; any other failure must reach the on-call admin (the
  // run ends in Error, is retried and notified), or a batch that fails the same way every run would
  // look like a quiet success forever.
  const notNow = cause instanceof BatchDayChangedError || cause instanceof VersionConflictError || classifySendFailure(cause, run.budget.signal).kind === 'notNow';
  if (!notNow) {
    run.problems.push(`a batch of ${inBatch.length} invoice(s) did not reach KSeF: ${note}`);
  }
}

/** What the admin reads in the document's history: what failed, and why nothing of it is in KSeF. */
function failureNote(stage: Exclude<BatchFailureStage, 'close-unknown'>, ref: string | null, reason: string): string {
  switch (stage) {
    case 'before-open':
      return `the batch session was not opened (${reason}); nothing was sent`;
    case 'open-unknown':
      return `the answer to opening the batch session was lost (${reason}); no part was uploaded and no close sent, so KSeF processes nothing (a session it opened is cancelled, 440)`;
    case 'before-close':
      return `batch session ${ref ?? ''} was opened but not closed (${reason}); KSeF processes a batch only after its close, so it cancels this one (440)`;
    case 'close-refused':
      return `KSeF refused to close batch session ${ref ?? ''} (${reason}); nothing of it is processed`;
  }
}

/** The Warsaw day changed between planning a batch and KSeF opening its session. */
export class BatchDayChangedError extends KsefJobError {
  constructor(referenceNumber: string, lateCount: number, day: string) {
    super(`the day in Warsaw is ${day} now that batch session ${referenceNumber} opened, so KSeF would mark ${lateCount} of its invoices offline; nothing was uploaded`);
  }
}
