import type { Context } from 'aws-lambda';
import type { DocumentRepository } from '../ports/document-repository.js';
import type { Logger } from '../ports/logger.js';
import { DIMENSION, METRIC, type Metrics } from '../ports/metrics.js';
import { measureDocuments } from '../use-cases/measure-documents.js';
import { reconcileSchedules, type ReconcileReport, type ReconcilerDeps } from '../use-cases/reconcile-schedules.js';

export interface WatchdogDeps extends ReconcilerDeps {
  readonly metrics: Metrics;
  /** The outgoing documents, measured per status on every pass. */
  readonly documents: DocumentRepository;
  readonly logger: Logger;
}

export type WatchdogHandler = (event: unknown, context: Context) => Promise<ReconcileReport & { readonly entriesInError: number }>;

/**
 * Every five minutes: repairs drifted schedules, stale leases and missed runs, then publishes the
 * entries in Error (the alarm's metric) and the documents waiting in each non-final status.
 */
export function watchdogHandler(watchdogDeps: () => WatchdogDeps): WatchdogHandler {
  return async (_event, context) => {
    const base = watchdogDeps();
    const deps = { ...base, logger: base.logger.with({ requestId: context.awsRequestId }) };
    // With the notifier, a stale lease that ends as a final failure is e-mailed like any other.
    const report = await reconcileSchedules(deps);
    const inError = (await deps.entries.list()).filter((entry) => entry.status === 'Error').length;
    deps.metrics.add(METRIC.entriesInError, 'Count', inError);
    for (const summary of await measureDocuments(deps)) {
      const status = { [DIMENSION.status]: summary.status };
      deps.metrics.add(METRIC.documentsInStatus, 'Count', summary.count, status);
      if (summary.oldest !== null) deps.metrics.add(METRIC.oldestDocumentAge, 'Seconds', summary.oldest.ageSeconds, status);
    }
    deps.logger.info('Reconciled.', { entriesChecked: report.entriesChecked, counts: report.counts, repairs: report.repairs, failures: report.failures, entriesInError: inError });
    return { ...report, entriesInError: inError };
  };
}
