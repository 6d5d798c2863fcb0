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
  /** Every Accepted document of the session has its invoice UPO, or a recorded reason why it has none. */
  readonly invoiceUposDone: boolean;
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * Nothing is left to poll or download: settled, every Accepted document has its UPO (or a recorded
 * reason why it has none), and at 200 the session UPO is stored (there is one only at 200). A session
 * that failed as a whole (e.g. 445, every invoice a 440 duplicate) may still hold Accepted documents,
 * reconciled with their originals, whose UPOs are fetched from the originals' sessions. A batch that
 * never got a reference took nothing into KSeF.
 */
export function isSessionFinished(record: KsefSessionRecord): boolean {
  if (!record.settled) return false;
  if (record.referenceNumber === null) return true;
  if (!record.invoiceUposDone) return false;
  return record.status?.code !== 200 || record.upoPages !== null;
}

export interface KsefSessionRepository {
  create(record: KsefSessionRecord): Promise<KsefSessionRecord>;
  get(id: string): Promise<KsefSessionRecord | undefined>;
  update(next: KsefSessionRecord, expectedVersion: number): Promise<KsefSessionRecord>;
  listUnfinished(): Promise<KsefSessionRecord[]>;
}
