import type { NotificationStore } from '../ports/notification-store.js';
import type { SyncStateRepository } from '../ports/sync-state-repository.js';
import type { JobQueueDeps } from '../use-cases/deps.js';
import type { DocumentDeps } from '../use-cases/document-deps.js';

/** What the API writes to the log: the runtime's one Logger (JobQueueDeps.logger), given by the wiring. */
export type { Logger as ApiLogger } from '../ports/logger.js';

export interface ApiDeps extends JobQueueDeps {
  /**
   * The caller's identity when the request carries no IAM principal. Set only in local mode, whose
   * HTTP server has already checked the bearer token (e.g. `local-admin`); left unset on AWS, so
   * that a request without a principal is refused even if the route's IAM auth were ever removed.
   */
  readonly localActor?: string;
  /** Global recipients and the sent e-mail log; without it /notifications/** answer 503. */
  readonly notifications?: NotificationStore;
  /** The documents of issue 4; without them /documents/**, /incoming-documents/** and /ledger answer 503. */
  readonly documents?: ApiDocumentDeps;
}

/** The document use cases' dependencies and the company they work for. */
export interface ApiDocumentDeps extends DocumentDeps {
  /** The company's NIP (KSEF_NIP): the only seller POST /documents accepts. */
  readonly companyNip: string;
  /** The KSeF sync marks, for GET /status (the purchase-invoice mark); without it the status has no `incoming`. */
  readonly syncState?: SyncStateRepository;
}
