import { recordSent, returnToPending, type OutgoingDocument } from '../../domain/documents.js';
import type { KsefSessionRecord } from '../../ports/ksef-session-repository.js';
import type { SessionInvoice } from '../../ports/ksef-gateway.js';
import { changeAt, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * Documents an earlier run left in Sending: the intent was stored, then the process died, the
 * response was lost or the run ran out of time, so KSeF may or may not hold the invoice. They are
 * never sent again blindly:
 * - online session: the session is closed first (nothing more can land in it), then its invoice list
 *   is searched for the document's hash: found → Sent with KSeF's reference; absent → Pending again,
 *   now provably;
 * - batch session with a KSeF reference: the package went through; process-sessions matches the
 *   results by hash;
 * - batch recorded only locally (no reference: the process died while the package was on its way):
 *   after `unknownBatchRetryAfterMs` back to Pending, see SendDocumentsConfig.
 * `skipSession` is the session this run is sending into right now.
 */
export async function recoverSending(run: SendRun, sending: readonly OutgoingDocument[], skipSession?: string): Promise<void> {
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
    else await recoverOnline(run, ref, record, docs);
  }
}

async function recoverOnline(run: SendRun, ref: string, record: KsefSessionRecord | undefined, docs: readonly OutgoingDocument[]): Promise<void> {
  const { ksef, sessions } = run.deps;
  const signal = run.budget.signal;
  const state = await ksef.getSessionState(ref, signal);
  if (state.status.code === 100) await ksef.closeOnlineSession(ref, signal);
  if (record && record.closedAt === null) await sessions.update({ ...record, closedAt: run.clock.now().toISOString(), updatedAt: run.clock.now().toISOString() }, record.version);
  const inKsef = new Map<string, SessionInvoice>((await ksef.listSessionInvoices(ref, {}, signal)).map((invoice) => [invoice.invoiceHash, invoice]));
  for (const doc of docs) {
    const found = inKsef.get(doc.contentSha256);
    if (found) {
      const next = recordSent(doc, { ...changeAt(run, 'found in the session by its hash after an unknown outcome'), sessionReferenceNumber: ref, invoiceReferenceNumber: found.referenceNumber });
      if (await updateIfUnchanged(run, doc, next)) run.counters.reconciled++;
    } else {
      const next = returnToPending(doc, changeAt(run, `not in session ${ref} (closed): it never reached KSeF`));
      if (await updateIfUnchanged(run, doc, next)) run.counters.returnedToPending++;
    }
  }
}

async function recoverBatch(run: SendRun, record: KsefSessionRecord, docs: readonly OutgoingDocument[]): Promise<void> {
  if (record.referenceNumber !== null) return;
  const age = run.clock.now().getTime() - Date.parse(record.openedAt);
  if (age < run.config.unknownBatchRetryAfterMs) return;
  for (const doc of docs) {
    const next = returnToPending(doc, changeAt(run, 'the batch it went in has an unknown outcome; sent again, KSeF answers 440 if it holds it already'));
    if (await updateIfUnchanged(run, doc, next)) run.counters.returnedToPending++;
  }
  const at = run.clock.now().toISOString();
  await run.deps.sessions.update({ ...record, settled: true, status: { code: 0, description: 'outcome unknown; its documents were sent again' }, updatedAt: at }, record.version);
}
