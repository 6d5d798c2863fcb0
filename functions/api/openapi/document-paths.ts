import { MAX_INVOICE_BYTES } from '../../use-cases/submit-document.js';
import { body, json, operation, param, xml, XML_MEDIA_TYPE, type Json } from './operations.js';

const tagged = { tags: ['documents'] };
const pageParams = [param('IssuedFrom'), param('IssuedTo'), param('Limit'), param('Cursor')];

const invoiceBody: Json = {
  required: true,
  description: `An FA(3) invoice, UTF-8, at most ${MAX_INVOICE_BYTES} bytes (KSeF's limit for an invoice with attachments).`,
  content: Object.fromEntries([XML_MEDIA_TYPE, 'text/xml'].map((type) => [type, { schema: { type: 'string' } }])),
};

/** The operations of issue 4: outgoing documents, incoming documents and the ledger. */
export function documentPaths(): Json {
  return {
    '/documents': {
      post: operation(
        'submitDocument',
        'Submit a sales invoice for sending to KSeF. It is checked against the FA(3) XSD at once and stored only when valid and issued by the company (seller NIP).',
        { ...tagged, requestBody: invoiceBody },
        {
          201: json('DocumentDetails', 'Stored, Pending; the send-documents queue sends it.', ['Location']),
          200: json(
            'DocumentDetails',
            'The same invoice was submitted before: that document, never a second one. Or the invoice number belongs to a Rejected document (it never got a KSeF number) and this corrected content replaced it: the same document, Pending again with the new content and hash, its history keeping the rejection.',
            ['Location'],
          ),
        },
        [409, 415],
      ),
      get: operation(
        'listDocuments',
        'Sales invoices, by issue date, one page at a time.',
        { ...tagged, parameters: [param('DocumentStatusFilter'), ...pageParams] },
        { 200: json('DocumentPage', 'A page of documents.', ['Link']) },
      ),
    },
    '/documents/{id}': {
      parameters: [param('DocumentId')],
      get: operation('getDocument', 'The document: status, KSeF number, acquisition date, rejection, references and the history of its status changes.', tagged, {
        200: json('DocumentDetails', 'The document; the ETag is its version, for If-Match on POST /documents/{id}/release.', ['ETag']),
      }, [404]),
    },
    '/documents/{id}/release': {
      parameters: [param('DocumentId')],
      post: operation(
        'releaseDocument',
        'Release a Held invoice (send-documents held it because KSeF would mark it offline: its issue date is before the send day). ' +
          'offlineMode true: it is sent declared offline (offline24). offlineMode false: it is sent as a normal invoice anyway, and KSeF marks it offline automatically. ' +
          'It goes back to Pending; the history records who released it and how.',
        { ...tagged, parameters: [param('IfMatch')], requestBody: body('ReleaseDocumentRequest', ['application/json']) },
        { 200: json('DocumentDetails', 'Released: the document, Pending, as GET /documents/{id} returns it.', ['ETag']) },
        [404, 409, 412],
      ),
    },
    '/documents/{id}/xml': {
      parameters: [param('DocumentId')],
      get: operation('getDocumentXml', 'The invoice XML as submitted.', tagged, { 200: xml('The invoice.', ['Content-Disposition']) }, [404]),
    },
    '/documents/{id}/upo': {
      parameters: [param('DocumentId')],
      get: operation('getDocumentUpo', 'The official receipt (UPO) of an accepted invoice; 404 until process-upo has stored it.', tagged, {
        200: xml('The UPO.', ['Content-Disposition']),
      }, [404]),
    },
    '/incoming-documents': {
      get: operation(
        'listIncomingDocuments',
        'Purchase invoices received from KSeF, by issue date, one page at a time.',
        { ...tagged, parameters: pageParams },
        { 200: json('IncomingDocumentPage', 'A page of incoming documents.', ['Link']) },
      ),
    },
    '/incoming-documents/{ksefNumber}': {
      parameters: [param('KsefNumber')],
      get: operation('getIncomingDocument', 'One purchase invoice: its key fields as parsed.', tagged, { 200: json('IncomingDocument', 'The incoming document.') }, [404]),
    },
    '/incoming-documents/{ksefNumber}/xml': {
      parameters: [param('KsefNumber')],
      get: operation('getIncomingDocumentXml', 'The purchase invoice XML as KSeF delivered it.', tagged, { 200: xml('The invoice.', ['Content-Disposition']) }, [404]),
    },
    '/ledger': {
      get: operation(
        'listLedger',
        'The KSeF ledger: one row per KSeF document, outgoing and incoming, with what reconciliation with KSeF found.',
        { ...tagged, parameters: pageParams },
        { 200: json('LedgerPage', 'A page of the ledger.', ['Link']) },
      ),
    },
  };
}
