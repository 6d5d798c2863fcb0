import type { JobQueueDeps } from '../use-cases/deps.js';

/** What the API writes to the log: Powertools' Logger fits, and tests can record lines. */
export interface ApiLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface ApiDeps extends JobQueueDeps {
  /** Defaults to a Powertools Logger of the `management-api` service. */
  readonly logger?: ApiLogger;
  /**
   * The caller's identity when the request carries no IAM principal. Set only in local mode, whose
   * HTTP server has already checked the bearer token (e.g. `local-admin`); left unset on AWS, so
   * that a request without a principal is refused even if the route's IAM auth were ever removed.
   */
  readonly localActor?: string;
}
