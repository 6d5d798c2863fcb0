import { describe, expect, it } from 'vitest';
import { checkWellFormed, parseFa3 } from '../../../functions/adapters/xml/fa3-parser.js';
import { SchemaValidationError } from '../../../functions/domain/errors.js';
import { makeInvoiceXml } from '../../helpers/fa3-invoice-factory.js';

function refusal(act: () => unknown): SchemaValidationError {
  try {
    act();
  } catch (error) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  return expect.unreachable('the document should have been refused');
}

describe('FA(3) field parser', () => {
  it('reads seller, buyer, number, type, dates, currency and totals of the official template', () => {
    // Act
    const fields = parseFa3(makeInvoiceXml({ number: 'FV/0001/2026', issueDate: '2026-03-04', sellerNip: '5265877635' }));
    // Assess
    expect(fields).toEqual({
      sellerNip: '5265877635',
      sellerName: 'Elektrownia S.A.',
      buyer: { type: 'Nip', value: '1111111111' },
      buyerName: 'F.H.U. Jan Kowalski',
      invoiceType: 'VAT',
      invoiceNumber: 'FV/0001/2026',
      issueDate: '2026-03-04',
      currency: 'PLN',
      netAmount: '43.60',
      vatAmount: '10.03',
      grossAmount: '53.63',
      corrects: [],
    });
  });

  it('keeps invoice numbers and amounts as written, with entities decoded', () => {
    // Act
    const fields = parseFa3(makeInvoiceXml({ number: '0001 & <2>', amounts: { net: '1000', vat: '230.00', gross: '1230' } }));
    // Assess
    expect(fields.invoiceNumber).toBe('0001 & <2>');
    expect([fields.netAmount, fields.vatAmount, fields.grossAmount]).toEqual(['1000.00', '230.00', '1230.00']);
  });

  it('reads what a correcting invoice corrects, with or without the original KSeF number', () => {
    // Act
    const named = parseFa3(makeInvoiceXml({ corrects: { invoiceNumber: 'FV/1', issueDate: '2026-01-30', ksefNumber: '5265877635-20250826-0100001AF629-AF' } }));
    const outside = parseFa3(makeInvoiceXml({ corrects: { invoiceNumber: 'FV/2', issueDate: '2026-01-31' } }));
    // Assess
    expect(named.invoiceType).toBe('KOR');
    expect(named.corrects).toEqual([{ invoiceNumber: 'FV/1', issueDate: '2026-01-30', ksefNumber: '5265877635-20250826-0100001AF629-AF', outsideKsef: false }]);
    expect(outside.corrects).toEqual([{ invoiceNumber: 'FV/2', issueDate: '2026-01-31', ksefNumber: null, outsideKsef: true }]);
  });

  it('a document that is not well-formed is refused with the line of the error', () => {
    // Act
    const error = refusal(() => checkWellFormed('<Faktura>\n<Fa>\n</Faktura>'));
    // Assess
    expect(error.schemaErrors).toHaveLength(1);
    expect(error.schemaErrors[0]?.line).toBe(3);
    expect(error.schemaErrors[0]?.message).toMatch(/not well-formed/);
  });

  it('a DOCTYPE is refused, so no entity tricks reach the parsers', () => {
    // Act
    const error = refusal(() => parseFa3('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<Faktura/>'));
    // Assess
    expect(error.schemaErrors[0]).toMatchObject({ line: 2, message: 'A DOCTYPE is not allowed in an invoice.' });
  });

  it('a missing element is named rather than crashing the parser', () => {
    // Act
    const error = refusal(() => parseFa3(makeInvoiceXml().replace(/<P_2>[^<]*<\/P_2>/, '')));
    // Assess
    expect(error.schemaErrors[0]?.element).toBe('P_2');
  });
});
