import { readFileSync } from 'node:fs';
import type { SimContext } from '../context.js';
import { sha256Base64 } from '../crypto/symmetric.js';
import { isValidNip } from '../../domain/ksef-number.js';
import { KsefApiError } from '../http/api-error.js';
import { newKsefNumber, warsawDay } from '../numbering/numbers.js';
import { duplicateKey, type StoredInvoice } from '../state.js';
import { readInvoiceFacts } from './fa3-facts.js';

export interface SeedIncomingInvoiceInput {
  /** A complete FA(3) document; when absent one is made from the official template. */
  readonly xml?: string;
  readonly sellerNip?: string;
  /** The buyer (Podmiot2) NIP: the company that will find it as a Subject2 purchase invoice. Required unless `xml` is given. */
  readonly buyerNip?: string;
  readonly invoiceNumber?: string;
  /** `YYYY-MM-DD`; defaults to the acquisition day. */
  readonly issueDate?: string;
  /** When KSeF gave the number; defaults to now. */
  readonly acquisitionDate?: Date | string;
  /**
   * When KSeF stores it for good (not before `acquisitionDate`); defaults to the simulator's
   * `delays.permanentStorageMs` after acquisition. A later one makes an invoice stored late.
   */
  readonly permanentStorageDate?: Date | string;
}

const TEMPLATE = readFileSync(new URL('./templates/invoice-template-fa-3.xml', import.meta.url), 'utf8');

/** A valid FA(3) invoice from the official template with the given parties, number and date. */
export function fa3FromTemplate(sellerNip: string, buyerNip: string, invoiceNumber: string, issueDate: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return TEMPLATE.replace('#nip#', sellerNip)
    .replace('<NIP>1111111111</NIP>', `<NIP>${buyerNip}</NIP>`)
    .replace(/<P_2>[^<]*<\/P_2>/, `<P_2>${esc(invoiceNumber)}</P_2>`)
    .replace(/<P_1>[^<]*<\/P_1>/, `<P_1>${issueDate}</P_1>`);
}

/** Stores an invoice as if another taxpayer had sent it to KSeF (XSD-checked, duplicate rule applied). */
export async function seedIncomingInvoice(ctx: SimContext, input: SeedIncomingInvoiceInput): Promise<StoredInvoice> {
  // Without a buyer the template's own would make it the company's sale, not a purchase invoice.
  if (input.xml === undefined && (input.buyerNip === undefined || input.buyerNip === null || input.buyerNip === '')) {
    throw new KsefApiError(400, 21405, "Pole 'buyerNip' jest wymagane (NIP nabywcy, dla którego faktura jest zakupowa).");
  }
  checkNip(input.buyerNip, 'buyerNip');
  checkNip(input.sellerNip, 'sellerNip');
  const acquisitionDate = input.acquisitionDate ? new Date(input.acquisitionDate) : ctx.clock.now();
  const permanentStorageDate = input.permanentStorageDate ? new Date(input.permanentStorageDate) : new Date(acquisitionDate.getTime() + ctx.options.delays.permanentStorageMs);
  if (Number.isNaN(acquisitionDate.getTime()) || Number.isNaN(permanentStorageDate.getTime())) {
    throw new KsefApiError(400, 21405, "Pola 'acquisitionDate' i 'permanentStorageDate' muszą być datami ISO-8601.");
  }
  if (permanentStorageDate < acquisitionDate) throw new KsefApiError(400, 21405, "Pole 'permanentStorageDate' nie może poprzedzać 'acquisitionDate'.");
  const xml =
    input.xml ??
    fa3FromTemplate(
      input.sellerNip ?? '5265877635',
      input.buyerNip ?? '1111111111',
      input.invoiceNumber ?? `FA/SIM/${acquisitionDate.getTime()}`,
      input.issueDate ?? warsawDay(acquisitionDate),
    );
  const verdict = await ctx.validator.validate('fa3', xml);
  if (!verdict.valid) throw new KsefApiError(400, 21405, 'Faktura nie jest zgodna ze schemą FA(3).', verdict.errors.map((e) => `${e.line ?? '?'}: ${e.message}`));
  const facts = readInvoiceFacts(xml);
  if (ctx.state.invoicesByDuplicateKey.has(duplicateKey(facts))) throw new KsefApiError(400, 21405, 'Duplikat faktury.', [duplicateKey(facts)]);
  const bytes = Buffer.from(xml, 'utf8');
  const stored: StoredInvoice = {
    ksefNumber: newKsefNumber(facts.sellerNip, acquisitionDate),
    xml: bytes,
    invoiceHash: sha256Base64(bytes),
    facts,
    formCode: { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' },
    invoicingDate: acquisitionDate,
    acquisitionDate,
    permanentStorageDate,
    invoicingMode: facts.issueDate < warsawDay(acquisitionDate) ? 'Offline' : 'Online',
    hashOfCorrectedInvoice: null,
    sessionReferenceNumber: null,
  };
  ctx.state.storeInvoice(stored);
  return stored;
}

/** KSeF's NIP shape (TNIP); like KSeF TEST, the check digit is not checked (only PRD does). */
function checkNip(value: unknown, field: string): void {
  if (value === undefined) return;
  const problem =
    typeof value !== 'string' ? 'must be a string' : !/^\d{10}$/.test(value) ? 'must be 10 digits' : !isValidNip(value) ? 'is not a NIP KSeF accepts (first digit 1-9, second or third digit not 0)' : null;
  if (problem) throw new KsefApiError(400, 21405, `Pole '${field}' nie jest poprawnym NIP-em: '${String(value)}' ${problem}.`);
}
