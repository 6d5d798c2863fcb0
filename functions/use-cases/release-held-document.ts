import { releaseHeldByAdmin, type OutgoingDocument } from '../domain/documents.js';
import { ConflictError, VersionConflictError } from '../domain/errors.js';
import type { DocumentDeps } from './document-deps.js';
import { requireDocument } from './read-documents.js';

/*
 * POST /documents/{id}/release: an admin decides what happens to an invoice send-documents held
 * because KSeF would mark it offline. The write is conditional on the version read; a caller that
 * pinned a version (If-Match) gets the conflict, one that did not gets its decision applied to the
 * current document, or a 409 when that is no longer Held.
 */

export interface ReleaseHeldInput {
  readonly id: string;
  /** True: send it declared offline (offline24); false: send it as it is, KSeF marks it offline. */
  readonly offlineMode: boolean;
  readonly actor: string;
  /** The version the caller saw (If-Match); a different stored version is a VersionConflictError. */
  readonly expectedVersion?: number;
}

/** Concurrent writers are the code units, which touch a Held document only to release it: rare. */
const ATTEMPTS = 3;

export async function releaseHeldDocument(deps: Pick<DocumentDeps, 'documents' | 'clock'>, input: ReleaseHeldInput): Promise<OutgoingDocument> {
  for (let attempt = 1; ; attempt++) {
    const doc = await requireDocument(deps, input.id);
    if (input.expectedVersion !== undefined && doc.version !== input.expectedVersion) throw new VersionConflictError(input.expectedVersion, doc.version);
    if (doc.status !== 'Held') {
      throw new ConflictError<OutgoingDocument>(`Document '${doc.id}' is ${doc.status}, not Held: only a document send-documents held can be released.`, doc);
    }
    const released = releaseHeldByAdmin(doc, { at: deps.clock.now().toISOString(), by: input.actor, offlineMode: input.offlineMode });
    try {
      return await deps.documents.update(released, doc.version);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || input.expectedVersion !== undefined || attempt >= ATTEMPTS) throw error;
    }
  }
}
