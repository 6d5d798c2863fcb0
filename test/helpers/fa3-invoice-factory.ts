import { readFileSync } from 'node:fs';
import { nipCheckDigit } from '../../functions/domain/nip.js';

/*
 * FA(3) invoices made from the official template (test/fixtures/ksef/invoice-template-fa-3.xml,
 * a copy of the CS sample in /work/shared/ksef/samples): valid against the XSD as they come, with
 * the fields the tests care about filled in. Distinct numbers give distinct hashes.
 */

const TEMPLATE = readFileSync(new URL('../fixtures/ksef/invoice-template-fa-3.xml', import.meta.url), 'utf8');

/** A NIP with a valid check digit; the default seller of the factory. */
export const SELLER_NIP = '5265877635';
export const BUYER_NIP = '1111111111';

export interface CorrectionOf {
  readonly invoiceNumber: string;
  readonly issueDate: string;
  /** The original's KSeF number; when absent the correction says the original is outside KSeF (NrKSeFN). */
  readonly ksefNumber?: string;
}

export interface InvoiceOptions {
  readonly sellerNip?: string;
  /** `Fa/P_2`; default `FV/<n>/2026`-like from `sequence`. */
  readonly number?: string;
  readonly sequence?: number;
  /** `Fa/P_1`, YYYY-MM-DD. */
  readonly issueDate?: string;
  readonly buyerNip?: string;
  readonly sellerName?: string;
  readonly currency?: string;
  /** Replace the totals (the lines stay as in the template: the XSD does not check arithmetic). */
  readonly amounts?: { readonly net: string; readonly vat: string; readonly gross: string };
  /** Makes it a correcting invoice (KOR) of this original. */
  readonly corrects?: CorrectionOf;
}

let defaultSequence = 0;

export function makeInvoiceXml(options: InvoiceOptions = {}): string {
  const number = options.number ?? `FV/${String(options.sequence ?? ++defaultSequence).padStart(5, '0')}/2026`;
  const issueDate = options.issueDate ?? '2026-02-02';
  let xml = TEMPLATE.replace('#nip#', options.sellerNip ?? SELLER_NIP)
    .replace(/<P_2>[^<]*<\/P_2>/, `<P_2>${escapeXml(number)}</P_2>`)
    .replace(/<P_1>[^<]*<\/P_1>/, `<P_1>${issueDate}</P_1>`)
    .replace(/<DataWytworzeniaFa>[^<]*<\/DataWytworzeniaFa>/, `<DataWytworzeniaFa>${issueDate}T08:00:00Z</DataWytworzeniaFa>`);
  if (options.buyerNip !== undefined) xml = xml.replace(`<NIP>${BUYER_NIP}</NIP>`, `<NIP>${options.buyerNip}</NIP>`);
  if (options.sellerName !== undefined) xml = xml.replace('<Nazwa>Elektrownia S.A.</Nazwa>', `<Nazwa>${escapeXml(options.sellerName)}</Nazwa>`);
  if (options.currency !== undefined) xml = xml.replace('<KodWaluty>PLN</KodWaluty>', `<KodWaluty>${options.currency}</KodWaluty>`);
  if (options.amounts !== undefined) {
    xml = xml
      .replace(/<P_13_1>[^<]*<\/P_13_1>/, `<P_13_1>${options.amounts.net}</P_13_1>`)
      .replace(/<P_14_1>[^<]*<\/P_14_1>/, `<P_14_1>${options.amounts.vat}</P_14_1>`)
      .replace(/<P_15>[^<]*<\/P_15>/, `<P_15>${options.amounts.gross}</P_15>`)
      .replace(/<DoZaplaty>[^<]*<\/DoZaplaty>/, `<DoZaplaty>${options.amounts.gross}</DoZaplaty>`);
  }
  if (options.corrects !== undefined) {
    const ref = options.corrects;
    const ksef = ref.ksefNumber === undefined ? '<NrKSeFN>1</NrKSeFN>' : `<NrKSeF>1</NrKSeF><NrKSeFFaKorygowanej>${ref.ksefNumber}</NrKSeFFaKorygowanej>`;
    xml = xml.replace(
      '<RodzajFaktury>VAT</RodzajFaktury>',
      `<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>Błędna cena</PrzyczynaKorekty><TypKorekty>1</TypKorekty>` +
        `<DaneFaKorygowanej><DataWystFaKorygowanej>${ref.issueDate}</DataWystFaKorygowanej><NrFaKorygowanej>${escapeXml(ref.invoiceNumber)}</NrFaKorygowanej>${ksef}</DaneFaKorygowanej>`,
    );
  }
  return xml;
}

/** `count` valid invoices with distinct numbers `<prefix>/00001` … of one seller. */
export function makeInvoiceBatch(count: number, options: Omit<InvoiceOptions, 'number' | 'sequence'> & { readonly prefix?: string } = {}): string[] {
  const prefix = options.prefix ?? 'FV/BATCH';
  return Array.from({ length: count }, (_, i) => makeInvoiceXml({ ...options, number: `${prefix}/${String(i + 1).padStart(5, '0')}` }));
}

/**
 * Three invoices that must be refused at submission, with what makes them so: not well-formed;
 * three independent schema errors (a date that is no date, a non-numeric total, an unknown invoice
 * type: libxml2 reports each); a missing required element (P_2). libxml2 stops checking an
 * element's content at the first structural error, so structural errors are not combined.
 */
export function makeInvalidInvoiceXmls(options: Pick<InvoiceOptions, 'sellerNip'> = {}): { readonly name: string; readonly xml: string; readonly errorCount: number }[] {
  const base = (n: number) => makeInvoiceXml({ ...options, number: `FV/INVALID/${n}` });
  return [
    { name: 'not well-formed', xml: base(1).replace('</Podmiot1>', ''), errorCount: 1 },
    {
      name: 'three schema errors',
      xml: base(2)
        .replace(/<P_1>[^<]*<\/P_1>/, '<P_1>2026-13-45</P_1>')
        .replace(/<P_15>[^<]*<\/P_15>/, '<P_15>abc</P_15>')
        .replace('<RodzajFaktury>VAT</RodzajFaktury>', '<RodzajFaktury>XYZ</RodzajFaktury>'),
      errorCount: 3,
    },
    { name: 'no invoice number', xml: base(3).replace(/<P_2>[^<]*<\/P_2>/, ''), errorCount: 1 },
  ];
}

/** A valid NIP derived from `seed` (distinct seeds give distinct NIPs, for tests that need many sellers or buyers). */
export function makeNip(seed: number): string {
  for (let n = seed; ; n += 1_000_003) {
    const firstNine = String(200_000_000 + ((n * 7_919) % 700_000_000));
    const check = nipCheckDigit(firstNine);
    if (check !== null && /^[1-9]((\d[1-9])|([1-9]\d))/.test(firstNine)) return `${firstNine}${check}`;
  }
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
