import type { KsefSubjectType } from './ksef-gateway.js';

/**
 * Where a KSeF synchronisation stands: one mark per purpose and subject type, e.g. the high-water
 * mark of the purchase-invoice export (incoming-documents, Subject2) or the end of the last window
 * of KSeF metadata that update-ledgers reconciled (Subject1).
 */
export const SYNC_PURPOSES = ['incoming-documents', 'ledger-reconciliation'] as const;
export type SyncPurpose = (typeof SYNC_PURPOSES)[number];

export interface SyncStreamId {
  readonly purpose: SyncPurpose;
  readonly subjectType: KsefSubjectType;
}

export interface SyncState {
  readonly purpose: SyncPurpose;
  readonly subjectType: KsefSubjectType;
  /** ISO-8601 as KSeF gave it (its offset and precision are kept): the next window starts here. */
  readonly mark: string;
  readonly updatedAt: string;
  /** Starts at 1; every advance increments it. */
  readonly version: number;
}

/**
 * The marks. `advance` is conditional: `expectedVersion` 0 means "not stored yet"; any other
 * version that is not the stored one throws VersionConflictError (a run cut off by its timeout
 * that carries on in the background must not move the mark back under the next run).
 */
export interface SyncStateRepository {
  get(stream: SyncStreamId): Promise<SyncState | undefined>;
  advance(stream: SyncStreamId, mark: string, at: string, expectedVersion: number): Promise<SyncState>;
}
