import { moveToSending, recordRejected, recordSent, type OutgoingDocument } from '../../domain/documents.js';
import { recoverSending } from './recover-sending.js';
import { isInvoiceRefusal, refusalOf } from './ksef-errors.js';
import { changeAt, readXml, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * Sends `docs` one by one through one online session. For each: the intent (Sending, with the
 * session reference and, through the document, its hash) is stored conditionally BEFORE the POST;
 * the invoice reference after it. The client sends at most once and reconciles a lost response by
 * hash; whatever still has an unknown outcome stays in Sending and is reconciled once the session is
 * closed. Stops at the time budget, or at the first failure that is not about one invoice (429 after
 * the client's waits, lost response, 5xx): the rest waits for the next run.
 */
export async function sendOnline(run: SendRun, docs: readonly OutgoingDocument[]): Promise<void> {
  const { ksef, sessions, documents } = run.deps;
  const signal = run.budget.signal;
  const session = await ksef.openOnlineSession(signal);
  const ref = session.referenceNumber;
  run.counters.sessionsOpened++;
  const openedAt = run.clock.now().toISOString();
  const record = await sessions.create({
    id: ref,
    kind: 'Online',
    referenceNumber: ref,
    documentIds: docs.map((doc) => doc.id),
    openedAt,
    closedAt: null,
    status: null,
    settled: false,
    upoPages: null,
    invoiceUposDone: false,
    updatedAt: openedAt,
    version: 1,
  });
  const unknown: OutgoingDocument[] = [];
  for (const doc of docs) {
    if (!run.budget.hasTime()) break;
    const xml = await readXml(run, doc);
    const note = doc.offlineMode ? 'sent declared offline (offlineMode): its issue date is before the send date' : undefined;
    const intent = await updateIfUnchanged(run, doc, moveToSending(doc, { ...changeAt(run, note), sessionReferenceNumber: ref }));
    if (intent === null) continue;
    let sent;
    try {
      sent = await ksef.sendInvoice(ref, { xml, offlineMode: intent.offlineMode }, signal);
    } catch (error) {
      run.counters.failed++;
      if (isInvoiceRefusal(error)) {
        await documents.update(recordRejected(intent, { ...changeAt(run, 'refused on send'), rejection: refusalOf(error) }), intent.version);
        continue;
      }
      unknown.push(intent);
      break;
    }
    const next = recordSent(intent, { ...changeAt(run, sent.reconciled ? 'response lost; found in the session by its hash' : undefined), sessionReferenceNumber: ref, invoiceReferenceNumber: sent.invoiceReferenceNumber });
    await documents.update(next, intent.version);
    if (sent.reconciled) run.counters.reconciled++;
    else run.counters.sent++;
  }
  if (run.budget.signal.aborted) return;
  await ksef.closeOnlineSession(ref, signal);
  const closedAt = run.clock.now().toISOString();
  await sessions.update({ ...record, closedAt, updatedAt: closedAt }, record.version);
  // Closed now, so the session's invoice list is final for what was in doubt.
  if (unknown.length > 0 && run.budget.hasTime()) await recoverSending(run, unknown);
}
