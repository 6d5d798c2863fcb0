import type { OutgoingDocument } from '../../domain/documents.js';
import type { DocumentRepository } from '../../ports/document-repository.js';

/** Conditional on the version read; a conflict propagates and fails the run, whose retry reads afresh. */
export function updateDocument(documents: DocumentRepository, before: OutgoingDocument, next: OutgoingDocument): Promise<OutgoingDocument> {
  return documents.update(next, before.version);
}
