/**
 * XSD validation of invoices. XmllintXsdValidator (adapters/xml) fits this shape as it is; calls
 * made together are validated in one batch there, so callers need not batch themselves.
 */
export interface InvoiceSchemaValidator {
  validate(schema: 'fa3', xml: string): Promise<SchemaVerdict>;
}

export interface SchemaVerdict {
  readonly valid: boolean;
  readonly errors: readonly { readonly line: number | null; readonly message: string }[];
}
