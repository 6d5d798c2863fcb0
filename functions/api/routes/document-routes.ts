import { MAX_INVOICE_BYTES } from '../../use-cases/submit-document.js';
import { defineRoute, json, jsonBody, xml } from '../route.js';

/*
 * The documents of issue 4: outgoing documents, incoming documents and the ledger. Declarations
 * only: the handlers are in document-handlers.ts.
 */

const tags = ['documents'] as const;
const PAGE = ['IssuedFrom', 'IssuedTo', 'Limit', 'Cursor'] as const;

export const DOCUMENT_ROUTES = {
  submitDocument: defineRoute({
    method: 'POST',
    path: '/documents',
    tags,
    summary:
      'Submit a sales invoice for sending to KSeF. It is checked against the FA(3) XSD at once and stored only when valid and issued by the company (seller NIP).',
    request: {
      body: {
        description: `An FA(3) invoice, UTF-8, at most ${MAX_INVOICE_BYTES} bytes (KSeF's limit for an invoice with attachments).`,
        mediaTypes: ['application/xml', 'text/xml'],
        schema: { type: 'string' },
      },
    },
    responses: {
      201: json('DocumentDetails', 'Stored, Pending; the send-documents queue sends it.', ['Location']),
      200: json(
        'DocumentDetails',
        'The same invoice was submitted before: that document, never a second one. Or the invoice number belongs to a Rejected document (it never got a KSeF number) and this corrected content replaced it: the same document, Pending again with the new content and hash, its history keeping the rejection.',
        ['Location'],
      ),
    },
    problems: [409, 415],
  }),
  listDocuments: defineRoute({
    method: 'GET',
    path: '/documents',
    tags,
    summary: 'Sales invoices, by issue date, one page at a time.',
    request: { query: ['DocumentStatusFilter', ...PAGE] },
    responses: { 200: json('DocumentPage', 'A page of documents.', ['Link']) },
  }),
  getDocument: defineRoute({
    method: 'GET',
    path: '/documents/{id}',
    tags,
    summary: 'The document: status, KSeF number, acquisition date, rejection, references and the history of its status changes.',
    responses: { 200: json('DocumentDetails', 'The document; the ETag is its version, for If-Match on POST /documents/{id}/release.', ['ETag']) },
  }),
  releaseDocument: defineRoute({
    method: 'POST',
    path: '/documents/{id}/release',
    tags,
    summary:
      'Release a Held invoice (send-documents held it because KSeF would mark it offline: its issue date is before the send day). ' +
      'offlineMode true: it is sent declared offline (offline24). offlineMode false: it is sent as a normal invoice anyway, and KSeF marks it offline automatically. ' +
      'It goes back to Pending; the history records who released it and how.',
    request: { headers: ['IfMatch'], body: jsonBody('ReleaseDocumentRequest') },
    responses: { 200: json('DocumentDetails', 'Released: the document, Pending, as GET /documents/{id} returns it.', ['ETag']) },
    problems: [409],
  }),
  getDocumentXml: defineRoute({
    method: 'GET',
    path: '/documents/{id}/xml',
    tags,
    summary: 'The invoice XML as submitted.',
    responses: { 200: xml('The invoice.', ['Content-Disposition']) },
  }),
  getDocumentUpo: defineRoute({
    method: 'GET',
    path: '/documents/{id}/upo',
    tags,
    summary: 'The official receipt (UPO) of an accepted invoice; 404 until process-upo has stored it.',
    responses: { 200: xml('The UPO.', ['Content-Disposition']) },
  }),
  listIncomingDocuments: defineRoute({
    method: 'GET',
    path: '/incoming-documents',
    tags,
    summary: 'Purchase invoices received from KSeF, by issue date, one page at a time.',
    request: { query: PAGE },
    responses: { 200: json('IncomingDocumentPage', 'A page of incoming documents.', ['Link']) },
  }),
  getIncomingDocument: defineRoute({
    method: 'GET',
    path: '/incoming-documents/{ksefNumber}',
    tags,
    summary: 'One purchase invoice: its key fields as parsed.',
    responses: { 200: json('IncomingDocument', 'The incoming document.') },
  }),
  getIncomingDocumentXml: defineRoute({
    method: 'GET',
    path: '/incoming-documents/{ksefNumber}/xml',
    tags,
    summary: 'The purchase invoice XML as KSeF delivered it.',
    responses: { 200: xml('The invoice.', ['Content-Disposition']) },
  }),
  listLedger: defineRoute({
    method: 'GET',
    path: '/ledger',
    tags,
    summary: 'The KSeF ledger: one row per KSeF document, outgoing and incoming, with what reconciliation with KSeF found.',
    request: { query: PAGE },
    responses: { 200: json('LedgerPage', 'A page of the ledger.', ['Link']) },
  }),
};
