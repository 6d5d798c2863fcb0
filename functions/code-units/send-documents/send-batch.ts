import { moveToSending, returnToPending, type OutgoingDocument } from '../../domain/documents.js';
import type { BatchInvoice } from '../../ports/ksef-gateway.js';
import { isDefiniteRefusal } from './ksef-errors.js';
import { changeAt, readXml, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * Sends `docs` as one batch session. KSeF names the session only when it opens, inside the
 * gateway's `sendBatch`, so the intent is stored first under a local session id: the session
 * record (kind Batch, no reference yet) and every document in Sending pointing at it. Then the
 * package leaves; then the KSeF reference is recorded on the session. The documents keep the local
 * id until process-sessions matches KSeF's results to them by hash.
 */
export async function sendBatch(run: SendRun, docs: readonly OutgoingDocument[], batchNumber: number): Promise<void> {
  const { ksef, sessions } = run.deps;
  const localId = `batch-${run.runId}-${batchNumber}`;
  const openedAt = run.clock.now().toISOString();
  const record = await sessions.create({
    id: localId,
    kind: 'Batch',
    referenceNumber: null,
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
  const inBatch: OutgoingDocument[] = [];
  const invoices: BatchInvoice[] = [];
  for (const doc of docs) {
    const xml = await readXml(run, doc);
    const intent = await updateIfUnchanged(run, doc, moveToSending(doc, { ...changeAt(run, 'in a batch session'), sessionReferenceNumber: localId }));
    if (intent === null) continue;
    inBatch.push(intent);
    invoices.push({ fileName: `${intent.id.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, xml });
  }
  if (invoices.length === 0) return;
  let sessionReferenceNumber: string;
  try {
    ({ sessionReferenceNumber } = await ksef.sendBatch(invoices, { offlineMode: false }, run.budget.signal));
  } catch (error) {
    run.counters.failed += inBatch.length;
    // Refused at open, upload or close: the session was never processed, nothing of it is in KSeF.
    if (!isDefiniteRefusal(error)) return;
    for (const doc of inBatch) {
      if (await updateIfUnchanged(run, doc, returnToPending(doc, changeAt(run, `batch refused: ${error.message}`)))) run.counters.returnedToPending++;
    }
    const at = run.clock.now().toISOString();
    await sessions.update({ ...record, settled: true, status: { code: error.status, description: error.message }, updatedAt: at }, record.version);
    return;
  }
  const closedAt = run.clock.now().toISOString();
  await sessions.update({ ...record, referenceNumber: sessionReferenceNumber, closedAt, updatedAt: closedAt }, record.version);
  run.counters.batches++;
  run.counters.sessionsOpened++;
  run.counters.sent += inBatch.length;
}
