import type { DocumentStatus, OutgoingDocument } from '../domain/documents.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentRepository } from '../ports/document-repository.js';

/** The statuses a document should not stay in for long: each is work someone (a queue or an admin) still owes. */
export const WATCHED_DOCUMENT_STATUSES = ['Pending', 'Held', 'Sending', 'Sent'] as const satisfies readonly DocumentStatus[];
export type WatchedDocumentStatus = (typeof WATCHED_DOCUMENT_STATUSES)[number];

export interface StatusGauge {
  readonly status: WatchedDocumentStatus;
  /** Documents found in the status; at most `maxPages` × 100 (then `capped`). */
  readonly count: number;
  readonly capped: boolean;
  /** Seconds since the longest-waiting document found entered the status; null when none is in it. */
  readonly oldestAgeSeconds: number | null;
}

const PAGE_SIZE = 100;

/**
 * How many outgoing documents wait in each watched status and for how long, read from the status
 * index with bounded reads (at most `maxPages` pages of 100 per status, default 10): cheap enough for
 * the watchdog's five-minute pass. A backlog beyond the bound is reported as capped; as the index
 * lists the oldest invoices first, the oldest waiting one is among those read.
 */
export async function measureDocuments(deps: { readonly documents: DocumentRepository; readonly clock: Clock }, maxPages = 10): Promise<StatusGauge[]> {
  const now = deps.clock.now().getTime();
  const gauges: StatusGauge[] = [];
  for (const status of WATCHED_DOCUMENT_STATUSES) {
    let count = 0;
    let oldest: number | null = null;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await deps.documents.list({ status, limit: PAGE_SIZE, cursor });
      for (const document of page.items) {
        count += 1;
        const since = Date.parse(enteredStatusAt(document));
        if (Number.isFinite(since) && (oldest === null || since < oldest)) oldest = since;
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < maxPages);
    gauges.push({ status, count, capped: cursor !== null, oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)) });
  }
  return gauges;
}

/** When the document entered its current status: the first of the history's last moves that left it there, else its creation. */
function enteredStatusAt(document: OutgoingDocument): string {
  let at = document.createdAt;
  for (let i = document.history.length - 1; i >= 0; i -= 1) {
    const change = document.history[i];
    if (change === undefined || change.status !== document.status) break;
    at = change.at;
  }
  return at;
}
