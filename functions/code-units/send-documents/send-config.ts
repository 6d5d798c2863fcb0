import { DEFAULT_SAFETY_MARGIN_MS } from './run-budget.js';

/**
 * What to do with an invoice KSeF would mark offline (its issue date, P_1, is an earlier Warsaw day
 * than the day it is sent; README §12):
 * - `hold` (default): keep it back as Held with the reason, for an admin to release (as offline, or
 *   after re-issuing it). Offline invoices need two QR codes and a KSeF Offline certificate when they
 *   are handed over outside KSeF, so this must be a decision, never a side effect of a late run.
 * - `sendAsOffline`: send it declared `offlineMode: true` and record the flag on the document; for a
 *   company that issues offline24 on purpose and has its QR process in place.
 * A document an admin released as offline (`offlineMode` true) is always sent, declared offline.
 */
export const OFFLINE_POLICIES = ['hold', 'sendAsOffline'] as const;
export type OfflinePolicy = (typeof OFFLINE_POLICIES)[number];

export interface SendDocumentsConfig {
  /**
   * From this many sendable invoices on, one batch session is used instead of an online session.
   * README §9: online sending (`invoiceSend`) is limited to 10/s, 30/min and 180/h per context and
   * IP, and every invoice is one request, so 100 invoices need at least 4 minutes of the per-minute
   * window and more than half of the hourly one, and 10,000 would need 56 hours. A batch session
   * costs two rate-limited requests (open and close, `batchSession` 10/20/60) whatever it holds, up
   * to 10,000 invoices; the part uploads are not limited. Below the threshold online is better: no
   * packaging, and each invoice's result can be polled at once.
   */
  readonly batchThreshold: number;
  /** Invoices per batch session (KSeF's default per-session limit is 10,000). */
  readonly maxBatchInvoices: number;
  /** Invoices per online session. */
  readonly maxOnlineInvoices: number;
  readonly offlinePolicy: OfflinePolicy;
  /** Stop taking new work this long before the run's deadline. */
  readonly safetyMarginMs: number;
  /**
   * A batch recorded without a KSeF reference (the run stopped before KSeF opened its session) is
   * left this long to the run that wrote it, which may still be building the package; then its
   * documents go back to Pending. Nothing of such a batch can be in KSeF: its reference is recorded
   * before any part is uploaded, and KSeF processes a batch only after its close (README §5). The
   * default is the longest a Lambda run lives. Every other batch failure is settled at once, or
   * left to process-sessions (see recover-sending.ts).
   */
  readonly unknownBatchRetryAfterMs: number;
}

export const DEFAULT_SEND_DOCUMENTS_CONFIG: SendDocumentsConfig = {
  batchThreshold: 100,
  maxBatchInvoices: 10_000,
  maxOnlineInvoices: 1_000,
  offlinePolicy: 'hold',
  safetyMarginMs: DEFAULT_SAFETY_MARGIN_MS,
  unknownBatchRetryAfterMs: 15 * 60_000,
};
