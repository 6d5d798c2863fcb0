import { holdOffline, sendsDespiteOfflineMarking, warsawDay, wouldBeMarkedOffline, type OutgoingDocument } from '../../domain/documents.js';
import { changeAt, updateIfUnchanged, type SendRun } from './send-run.js';

/**
 * An invoice KSeF would mark offline on its own if it were invoiced at `now` (issue day before that
 * Warsaw day, README §12): held for an admin, or declared offline, by `offlinePolicy`. Returns the
 * document to send (declared offline when the policy says so), or null when it was held (or taken by
 * another writer). Made right before each online send as well as when the run plans, because a run
 * that starts just before midnight in Warsaw sends after it. A document an admin released to go as
 * a normal invoice (POST /documents/{id}/release, offlineMode false) is sent as it is: the admin
 * accepted that KSeF marks it offline.
 */
export async function checkOffline(run: SendRun, doc: OutgoingDocument, now: Date): Promise<OutgoingDocument | null> {
  if (doc.offlineMode || sendsDespiteOfflineMarking(doc) || !wouldBeMarkedOffline(doc.fields, now)) return doc;
  const reason = `issued ${doc.fields.issueDate}, before the send date ${warsawDay(now)} (Europe/Warsaw): KSeF would mark it offline`;
  // Recorded on the document with the Sending write that follows; the note says why.
  if (run.config.offlinePolicy === 'sendAsOffline') return { ...doc, offlineMode: true };
  if (await updateIfUnchanged(run, doc, holdOffline(doc, { ...changeAt(run), reason }))) run.counters.heldOffline++;
  return null;
}
