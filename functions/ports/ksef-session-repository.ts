/**
 * The KSeF sessions this system opened (issue 4), so that polling and UPO downloads survive restarts.
 *
 * A batch session is recorded under a local id (`referenceNumber` null) BEFORE its package leaves:
 * KSeF gives the reference only when the session opens, and a crash in between must still leave a
 * trace of which documents may be in KSeF. Its reference is recorded as soon as it opens, before
 * any part is uploaded. Online sessions are recorded once opened.
 *
 * - `create` stores a new record (version 1) or throws ConflictError when the id is taken.
 * - `update` stores `next` with version `expectedVersion + 1`, or throws VersionConflictError.
 * - `listUnfinished` returns every record that still needs work (see `isSessionFinished`), oldest first.
 */
export const KSEF_SESSION_KINDS = ['Online', 'Batch'] as const;
export type KsefSessionKind = (typeof KSEF_SESSION_KINDS)[number];

export interface KsefSessionRecord {
  /** The KSeF reference number, or a local id while a batch session's reference is not known. */
  readonly id: string;
  readonly kind: KsefSessionKind;
  readonly referenceNumber: string | null;
  /** The documents planned for this session (some may have stayed Pending: check theirs). */
  readonly documentIds: readonly string[];
  readonly openedAt: string;
  /** When this system closed it (batch: when the package was uploaded and closed). */
  readonly closedAt: string | null;
  /**
   * Batch only, from the open on: the end of its upload window (README §5: 20 minutes a part).
   * After it KSeF refuses the close, so a batch still unclosed then can never be processed.
   */
  readonly uploadDeadline?: string | null;
  /** The last session status read from KSeF (100 open, 170 closed, 200 processed, 4xx/5xx failed). */
  readonly status: { readonly code: number; readonly description: string } | null;
  /** Every document of the session has a final outcome (Accepted, Rejected, or back to Pending). */
  readonly settled: boolean;
  /** Pages of the session UPO stored; null until stored. */
  readonly upoPages: number | null;
  /** Every Accepted document of the session has its invoice UPO. */
  readonly invoiceUposDone: boolean;
  readonly updatedAt: string;
  readonly version: number;
}

/** Nothing is left to poll or download: settled, and the UPOs stored (there is a session UPO only at 200). */
export function isSessionFinished(record: KsefSessionRecord): boolean {
  if (!record.settled) return false;
  if (record.status?.code !== 200) return true;
  return record.upoPages !== null && record.invoiceUposDone;
}

export interface KsefSessionRepository {
  create(record: KsefSessionRecord): Promise<KsefSessionRecord>;
  get(id: string): Promise<KsefSessionRecord | undefined>;
  update(next: KsefSessionRecord, expectedVersion: number): Promise<KsefSessionRecord>;
  listUnfinished(): Promise<KsefSessionRecord[]>;
}
