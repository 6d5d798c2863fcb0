import { planSending, type OutgoingDocument } from '../../domain/documents.js';
import type { CodeUnit, CodeUnitContext, CodeUnitResult } from '../../ports/code-unit.js';
import { findOriginals, listAllByStatus } from './document-lists.js';
import { SendFailuresError } from './send-failures-error.js';
import { recoverSending } from './recover-sending.js';
import { RunBudget } from './run-budget.js';
import { sendBatch } from './send-batch.js';
import { DEFAULT_SEND_DOCUMENTS_CONFIG, type SendDocumentsConfig } from './send-config.js';
import { sendOnline } from './send-online.js';
import { checkOffline } from './offline-check.js';
import type { SendDocumentsDeps, SendRun } from './send-run.js';

export type { SendDocumentsDeps } from './send-run.js';
export { DEFAULT_SEND_DOCUMENTS_CONFIG, type SendDocumentsConfig, type OfflinePolicy } from './send-config.js';

/**
 * send-documents: sends Pending sales invoices to KSeF, in order (a correcting invoice only after
 * its original has a KSeF number), through an online session for a few and a batch session for a
 * backlog (see `batchThreshold`), after reconciling whatever an earlier run left in Sending.
 * Counters: sent, reconciled, heldOffline, failed, sessionsOpened, batches, returnedToPending,
 * heldAfterFailures. A run in which invoices failed for a reason other than KSeF refusing them
 * (5xx, lost response, a refused session) records everything, then fails with SendFailuresError.
 */
export function createSendDocumentsCodeUnit(deps: SendDocumentsDeps): CodeUnit {
  const config: SendDocumentsConfig = { ...DEFAULT_SEND_DOCUMENTS_CONFIG, ...deps.config };
  return {
    id: 'send-documents',
    run: (context) => runSendDocuments(deps, config, context),
  };
}

async function runSendDocuments(deps: SendDocumentsDeps, config: SendDocumentsConfig, context: CodeUnitContext): Promise<CodeUnitResult> {
  const run: SendRun = {
    deps: { documents: deps.documents, store: deps.store, sessions: deps.sessions, ksef: deps.ksef },
    config,
    clock: deps.clock ?? context.clock,
    budget: new RunBudget(context, config.safetyMarginMs),
    runId: context.runId,
    counters: { sent: 0, reconciled: 0, heldOffline: 0, failed: 0, sessionsOpened: 0, batches: 0, returnedToPending: 0, heldAfterFailures: 0 },
    problems: [],
  };
  const sending = await listAllByStatus(deps.documents, 'Sending');
  // Nothing to do costs two queries and no KSeF request (the gateway logs in on first use).
  if (sending.length === 0 && (await deps.documents.list({ status: 'Pending', limit: 1 })).items.length === 0) return { counters: { ...run.counters } };
  await recoverSending(run, sending);

  const pending = await listAllByStatus(deps.documents, 'Pending');
  const plan = planSending(pending, await findOriginals(deps.documents, pending));
  const sendable = await flagOffline(run, plan.sendable);

  // Invoices declared offline go online: a batch session's offlineMode is one flag for all of them.
  const declaredOffline = sendable.filter((doc) => doc.offlineMode);
  const regular = sendable.filter((doc) => !doc.offlineMode);
  if (regular.length >= config.batchThreshold) {
    for (let start = 0, n = 1; start < regular.length && run.budget.hasTime(); start += config.maxBatchInvoices, n++) {
      await sendBatch(run, regular.slice(start, start + config.maxBatchInvoices), n);
    }
    if (declaredOffline.length > 0 && run.budget.hasTime()) await sendOnline(run, declaredOffline.slice(0, config.maxOnlineInvoices));
  } else if (sendable.length > 0 && run.budget.hasTime()) {
    await sendOnline(run, sendable.slice(0, config.maxOnlineInvoices));
  }
  const counters = { ...run.counters, waitingForOriginal: plan.waiting.length };
  // Everything is recorded by now; failing the run is how the job queue retries and tells on-call.
  if (run.problems.length > 0) throw new SendFailuresError(run.problems, counters);
  return { counters };
}

/** The offline check for everything planned (see checkOffline). Returns what may go now. */
async function flagOffline(run: SendRun, docs: readonly OutgoingDocument[]): Promise<OutgoingDocument[]> {
  const now = run.clock.now();
  const go: OutgoingDocument[] = [];
  for (const doc of docs) {
    const checked = await checkOffline(run, doc, now);
    if (checked !== null) go.push(checked);
  }
  return go;
}
