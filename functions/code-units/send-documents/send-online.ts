import { moveToSending, recordRefusedOnSend, recordSent, type OutgoingDocument } from '../../domain/documents.js';
import { checkOffline } from './offline-check.js';
import { recoverSending } from './recover-sending.js';
import { classifySendFailure, isInvoiceRefusal, refusalOf, type SendFailure } from './ksef-errors.js';
import { changeAt, createSessionRecord, patchSession, readXml, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * After this many invoices in a row fail with an unknown outcome, KSeF itself is in trouble rather
 * than one invoice: the run stops sending instead of trying the whole backlog.
 */
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * Sends `docs` one by one through one online session. For each: the intent (Sending, with the
 * session reference and, through the document, its hash) is stored conditionally BEFORE the POST;
 * the invoice reference after it. The client POSTs each invoice once and reconciles a lost response
 * by hash; whatever still has an unknown outcome stays in Sending and is reconciled once the session
 * is closed (afterFailedSend: back to Pending with the reason, Held past a limit). A failure of one
 * invoice (5xx, lost response) does not stop the others: each has its own hash, so nothing can be
 * confused with it. The run stops at the time budget, at a 429 it would not wait out, at a refusal
 * of the session, or after MAX_FAILURES_IN_A_ROW failures in a row: the rest waits for the next run.
 */
export async function sendOnline(run: SendRun, docs: readonly OutgoingDocument[]): Promise<void> {
  const { ksef } = run.deps;
  const signal = run.budget.signal;
  const session = await ksef.openOnlineSession(signal);
  const ref = session.referenceNumber;
  run.counters.sessionsOpened++;
  const record = await createSessionRecord(run, { id: ref, kind: 'Online', referenceNumber: ref }, docs);
  const unknown: OutgoingDocument[] = [];
  const failures = new Map<string, SendFailure>();
  let inARow = 0;
  for (const planned of docs) {
    if (!run.budget.hasTime()) break;
    // KSeF's invoicing date is when it receives the invoice: midnight may have passed since the plan.
    const doc = await checkOffline(run, planned, run.clock.now());
    if (doc === null) continue;
    const xml = await readXml(run, doc);
    const offline = doc.offlineMode ? 'sent declared offline (offlineMode): its issue date is before the send date' : undefined;
    const intent = await updateIfUnchanged(run, doc, moveToSending(doc, { ...changeAt(run, offline), sessionReferenceNumber: ref }));
    if (intent === null) continue;
    let sent;
    try {
      sent = await ksef.sendInvoice(ref, { xml, offlineMode: intent.offlineMode }, signal);
    } catch (error) {
      run.counters.failed++;
      if (isInvoiceRefusal(error)) {
        // Another writer that moved it meanwhile has it (null): the next run's recovery finds it absent and sends it again.
        await updateIfUnchanged(run, intent, recordRefusedOnSend(intent, { ...changeAt(run, 'refused on send'), rejection: refusalOf(error) }));
        continue;
      }
      const failure = classifySendFailure(error, signal);
      unknown.push(intent);
      failures.set(intent.id, failure);
      if (failure.kind === 'session') run.problems.push(`KSeF refused session ${ref} while sending invoice '${intent.key.invoiceNumber}': ${failure.reason}`);
      if (failure.kind !== 'invoice' || ++inARow >= MAX_FAILURES_IN_A_ROW) break;
      continue;
    }
    inARow = 0;
    const lost = sent.reconciled ? 'response lost; found in the session by its hash' : undefined;
    const next = recordSent(intent, { ...changeAt(run, lost), sessionReferenceNumber: ref, invoiceReferenceNumber: sent.invoiceReferenceNumber, foundByHash: sent.reconciled });
    // KSeF has it either way. If another writer moved the document meanwhile, it is left to that
    // writer (as every write of this run is); one still in Sending is found by hash by the next run.
    await updateIfUnchanged(run, intent, next);
    if (sent.reconciled) run.counters.reconciled++;
    else run.counters.sent++;
  }
  if (run.budget.signal.aborted) return;
  await ksef.closeOnlineSession(ref, signal);
  const closedAt = run.clock.now().toISOString();
  // process-sessions may have polled (and so rewritten) the open session meanwhile: re-read on a conflict.
  await patchSession(run, record, (current) => (current.closedAt !== null ? null : { ...current, closedAt, updatedAt: closedAt }));
  // Closed now, so the session's invoice list is final for what was in doubt.
  if (unknown.length > 0 && run.budget.hasTime()) await recoverSending(run, unknown, undefined, failures);
  else reportUnrecovered(run, unknown, failures);
}

/** Failed invoices this run had no time to reconcile: the next run does, but the admin hears of it now. */
function reportUnrecovered(run: SendRun, unknown: readonly OutgoingDocument[], failures: ReadonlyMap<string, SendFailure>): void {
  for (const doc of unknown) {
    const failure = failures.get(doc.id);
    if (failure?.kind === 'invoice') run.problems.push(`invoice '${doc.key.invoiceNumber}' (${doc.id}): ${failure.reason}; left in Sending to be reconciled by the next run`);
  }
}
