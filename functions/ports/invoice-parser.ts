import type { InvoiceFields } from '../domain/documents.js';

/**
 * Reads invoice XML. Both methods throw SchemaValidationError (naming the element or line) rather
 * than anything else; `parse` expects a document the XSD has accepted. Fa3Parser (adapters/xml).
 */
export interface InvoiceParser {
  /** Well-formed XML without a DOCTYPE. */
  checkWellFormed(xml: string): void;
  parse(xml: string): InvoiceFields;
}
