import type { Clock } from '../ports/clock.js';
import type { DocumentRepository } from '../ports/document-repository.js';
import { summarizeStatus, type DocumentStatusSummary, type WORKING_STATUSES } from './read-status.js';

/** The statuses a document should not stay in for long: each is work a queue (or, for Held, an admin) still owes. */
export const WATCHED_DOCUMENT_STATUSES = ['Pending', 'Held', 'Sending', 'Sent'] as const satisfies readonly (typeof WORKING_STATUSES)[number][];

/**
 * How many outgoing documents wait in each watched status and the oldest of them, as GET /status
 * reports them (DocumentRepository.summarize: a count and one item per status): cheap enough for the
 * watchdog's five-minute pass.
 */
export function measureDocuments(deps: { readonly documents: DocumentRepository; readonly clock: Clock }): Promise<DocumentStatusSummary[]> {
  const now = deps.clock.now();
  return Promise.all(WATCHED_DOCUMENT_STATUSES.map((status) => summarizeStatus(deps.documents, status, now)));
}
