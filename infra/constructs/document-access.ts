import type { CodeUnitId } from '../../functions/domain/catalogue.js';
import type { DocumentAccess } from './documents-bucket.js';

/**
 * Which document prefixes each function reads and writes, from what its code does
 * (functions/use-cases/*-document*.ts, functions/code-units/*). Change it with the code.
 */
export const DOCUMENT_ACCESS: Readonly<Record<CodeUnitId | 'api', DocumentAccess>> = {
  // Stores submitted invoices; serves their XML, the UPOs and incoming invoices (404 until stored).
  api: { write: ['outgoing'], read: ['outgoing', 'upo', 'incoming'], list: true },
  // Reads the submitted XML it sends.
  'send-documents': { read: ['outgoing'] },
  // Works on statuses and reference numbers in the table only.
  'process-sessions': {},
  'process-upo': { write: ['upo'] },
  // The ledger is built from KSeF metadata and the table.
  'update-ledgers': {},
  'incoming-documents': { write: ['incoming'] },
};
