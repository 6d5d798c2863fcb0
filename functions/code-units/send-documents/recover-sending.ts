import { afterFailedSend, recordSent, returnToPending, type OutgoingDocument } from '../../domain/documents.js';
import type { KsefSessionRecord } from '../../ports/ksef-session-repository.js';
import { BATCH_LIMITS, BATCH_UPLOAD_WINDOW_PER_PART_MS, type SessionInvoice } from '../../ports/ksef-gateway.js';
import type { SendFailure } from './ksef-errors.js';
import { changeAt, patchSession, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * Documents an earlier run left in Sending: the intent was stored, then the process died, the
 * response was lost or the run ran out of time, so KSeF may or may not hold the invoice. They are
 * never sent again blindly:
 * - online session: the session is closed first (nothing more can land in it), then its invoice list
 *   is searched for the document's hash: found → Sent with KSeF's reference; absent → Pending again,
 *   now provably;
 * - batch session: see recoverBatch. KSeF processes a batch only after its close (README §5), and
 *   send-batch records the reference before any part goes up, so the record tells what can have
 *   happened.
 * `skipSession` is the session this run is sending into right now. `failures` are what this run
 * saw when it sent them (by document id), for the history and the bound on returns to Pending.
 */
export async function recoverSending(
  run: SendRun,
  sending: readonly OutgoingDocument[],
  skipSession?: string,
  failures: ReadonlyMap<string, SendFailure> = new Map(),
): Promise<void> {
  const bySession = new Map<string, OutgoingDocument[]>();
  for (const doc of sending) {
    const ref = doc.sessionReferenceNumber;
    if (ref === null || ref === skipSession) continue;
    bySession.set(ref, [...(bySession.get(ref) ?? []), doc]);
  }
  for (const [ref, docs] of bySession) {
    if (!run.budget.hasTime()) return;
    const record = await run.deps.sessions.get(ref);
    if (record?.kind === 'Batch') await recoverBatch(run, record, docs);
    else await recoverOnline(run, ref, record, docs, failures);
  }
}

async function recoverOnline(
  run: SendRun,
  ref: string,
  record: KsefSessionRecord | undefined,
  docs: readonly OutgoingDocument[],
  failures: ReadonlyMap<string, SendFailure>,
): Promise<void> {
  const { ksef } = run.deps;
  const signal = run.budget.signal;
  const state = await ksef.getSessionState(ref, signal);
  if (state.status.code === 100) await ksef.closeOnlineSession(ref, signal);
  if (record && record.closedAt === null) {
    const at = run.clock.now().toISOString();
    // process-sessions rewrites an unsettled record on every poll, so this write re-reads on a conflict.
    await patchSession(run, record, (current) => (current.closedAt !== null ? null : { ...current, closedAt: at, updatedAt: at }));
  }
  const inKsef = new Map<string, SessionInvoice>((await ksef.listSessionInvoices(ref, {}, signal)).map((invoice) => [invoice.invoiceHash, invoice]));
  for (const doc of docs) {
    const found = inKsef.get(doc.contentSha256);
    if (found) {
      const note = 'found in the session by its hash after an unknown outcome';
      const next = recordSent(doc, { ...changeAt(run, note), sessionReferenceNumber: ref, invoiceReferenceNumber: found.referenceNumber, foundByHash: true });
      if (await updateIfUnchanged(run, doc, next)) run.counters.reconciled++;
    } else {
      await returnAbsent(run, ref, doc, failures.get(doc.id));
    }
  }
}

/**
 * A document proven absent from its closed online session. When its send failed for a reason of its
 * own (not "not now"), the return is counted and bounded (afterFailedSend) and the admin hears of it
 * through the run's error; otherwise it simply goes back to Pending, with the reason when known.
 */
async function returnAbsent(run: SendRun, ref: string, doc: OutgoingDocument, failure: SendFailure | undefined): Promise<void> {
  if (failure?.kind !== 'invoice') {
    const why = failure ? ` (${failure.reason})` : '';
    const next = returnToPending(doc, changeAt(run, `not in session ${ref} (closed): it never reached KSeF${why}`));
    if (await updateIfUnchanged(run, doc, next)) run.counters.returnedToPending++;
    return;
  }
  const next = afterFailedSend(doc, { ...changeAt(run), reason: failure.reason, sessionReferenceNumber: ref });
  const stored = await updateIfUnchanged(run, doc, next);
  if (stored === null) return;
  if (stored.status === 'Held') run.counters.heldAfterFailures++;
  else run.counters.returnedToPending++;
  const outcome = stored.status === 'Held' ? 'Held for an admin after repeated failures' : 'back to Pending';
  run.problems.push(`invoice '${doc.key.invoiceNumber}' (${doc.id}) could not be sent: ${failure.reason}; ${outcome}`);
}

/**
 * Margin on the upload window for the difference between this system's clock and KSeF's, and for a
 * close that was on its way when the window ended.
 */
const UPLOAD_WINDOW_MARGIN_MS = 5 * 60_000;

/** A batch recorded without its window (never, since the reference and window are written together): the longest one, 50 parts. */
const LONGEST_UPLOAD_WINDOW_MS = BATCH_LIMITS.maxParts * BATCH_UPLOAD_WINDOW_PER_PART_MS;

/**
 * A batch left in Sending:
 * - closed (closedAt set): the package went through; process-sessions matches the results by hash;
 * - no KSeF reference: send-batch records the reference in `onOpened`, before any part is uploaded
 *   and before the close, so no part of this batch went up and no close was sent; a session KSeF
 *   may have opened is cancelled unclosed (440) and processes nothing. Its documents go back to
 *   Pending once `unknownBatchRetryAfterMs` has passed (the run that wrote the record may still be
 *   building the package). The record is settled first, conditionally: if that run is alive after
 *   all, its `onOpened` write then fails on the version and it uploads and closes nothing;
 * - a reference but no confirmed close (the run stopped between open and close, or the close's
 *   answer was lost): process-sessions polls it like any other; see recoverUnclosedBatch.
 */
async function recoverBatch(run: SendRun, record: KsefSessionRecord, docs: readonly OutgoingDocument[]): Promise<void> {
  if (record.closedAt !== null) return;
  // Settled without a close: found never processed, and the run that settled it stopped before it
  // had returned every document (process-sessions settles a batch only when none is left in Sending).
  if (record.settled) return returnToPendingAll(run, docs, `its batch was settled as never processed (${record.status?.description ?? 'no status'})`);
  if (record.referenceNumber !== null) return recoverUnclosedBatch(run, record, record.referenceNumber, docs);
  const age = run.clock.now().getTime() - Date.parse(record.openedAt);
  if (age < run.config.unknownBatchRetryAfterMs) return;
  const note = 'the run that put it in a batch stopped before KSeF opened the session: no part was uploaded and no close sent, so nothing of it reached KSeF';
  await settleAndReturn(run, record, docs, note);
}

/**
 * A batch with a KSeF reference whose close was never confirmed. Within its upload window the run
 * that opened it may still be uploading or closing, so it is left alone; KSeF ends it by itself
 * (processed after a close, or cancelled 440 at the end of the window) and process-sessions
 * records that. Only a session KSeF still shows as 100 (open) after its window is handled here.
 *
 * Decision: let it be cancelled, never close it. After the window KSeF refuses a close (21208), so
 * the session can no longer be processed and its documents go back to Pending at once, without
 * waiting for KSeF to write the 440. Closing it earlier, from a run that did not open it, would
 * race the run that did (its own close would then be refused with 21180 and read as a refusal,
 * returning to Pending documents that KSeF is processing), and this run cannot know whether every
 * part went up. Waiting costs at most the window (20 minutes a part) and never a duplicate.
 */
async function recoverUnclosedBatch(run: SendRun, record: KsefSessionRecord, ref: string, docs: readonly OutgoingDocument[]): Promise<void> {
  const deadline = record.uploadDeadline ? Date.parse(record.uploadDeadline) : Date.parse(record.openedAt) + LONGEST_UPLOAD_WINDOW_MS;
  if (run.clock.now().getTime() < deadline + UPLOAD_WINDOW_MARGIN_MS) return;
  const state = await run.deps.ksef.getSessionState(ref, run.budget.signal);
  // Closed in time (150, 200, 4xx) or cancelled (440): process-sessions records what KSeF says.
  if (state.status.code !== 100) return;
  const note = `batch session ${ref} was never closed and its upload window has passed, so KSeF can no longer process it`;
  await settleAndReturn(run, record, docs, note);
}

/** Settles the record (conditionally: it fences the run that wrote it), then returns its documents to Pending. */
async function settleAndReturn(run: SendRun, record: KsefSessionRecord, docs: readonly OutgoingDocument[], note: string): Promise<void> {
  const at = run.clock.now().toISOString();
  const unchanged = (current: KsefSessionRecord) => current.settled || current.closedAt !== null || current.referenceNumber !== record.referenceNumber;
  const settled = await patchSession(run, record, (current) => (unchanged(current) ? null : { ...current, settled: true, status: { code: 0, description: note }, updatedAt: at }));
  if (settled !== null) await returnToPendingAll(run, docs, note);
}

async function returnToPendingAll(run: SendRun, docs: readonly OutgoingDocument[], note: string): Promise<void> {
  for (const doc of docs) {
    if (await updateIfUnchanged(run, doc, returnToPending(doc, changeAt(run, note)))) run.counters.returnedToPending++;
  }
}
