import { XMLParser } from 'fast-xml-parser';
import type { InvoiceFacts } from '../state.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['Podmiot3', 'FaWiersz'].includes(name),
});

type Node = Record<string, unknown>;

const child = (node: unknown, name: string): Node | undefined =>
  node && typeof node === 'object' ? ((node as Node)[name] as Node | undefined) : undefined;

function text(node: unknown, name: string): string | null {
  const value = node && typeof node === 'object' ? (node as Node)[name] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return typeof (value as Node)['#text'] === 'string' ? ((value as Node)['#text'] as string) : null;
  return String(value);
}

function sum(node: Node | undefined, names: readonly string[]): number {
  return Math.round(names.reduce((acc, n) => acc + Number(text(node, n) ?? 0), 0) * 100) / 100;
}

const NET_FIELDS = ['P_13_1', 'P_13_2', 'P_13_3', 'P_13_4', 'P_13_5', 'P_13_6_1', 'P_13_6_2', 'P_13_6_3', 'P_13_7', 'P_13_8', 'P_13_9', 'P_13_10', 'P_13_11'];
const VAT_FIELDS = ['P_14_1', 'P_14_2', 'P_14_3', 'P_14_4', 'P_14_5'];

/** `RodzajFaktury` → the API's `InvoiceType`. */
export const INVOICE_TYPES: Readonly<Record<string, string>> = {
  VAT: 'Vat',
  ZAL: 'Zal',
  KOR: 'Kor',
  ROZ: 'Roz',
  UPR: 'Upr',
  KOR_ZAL: 'KorZal',
  KOR_ROZ: 'KorRoz',
};

export class InvoiceFactsError extends Error {}

/** Reads the fields KSeF keys and indexes on from an FA(3) document that passed the XSD. */
export function readInvoiceFacts(xml: string): InvoiceFacts {
  const doc = parser.parse(xml) as Node;
  const faktura = child(doc, 'Faktura');
  if (!faktura) throw new InvoiceFactsError('The document root is not Faktura.');
  const seller = child(child(faktura, 'Podmiot1'), 'DaneIdentyfikacyjne');
  const buyerNode = child(faktura, 'Podmiot2');
  const buyerId = child(buyerNode, 'DaneIdentyfikacyjne');
  const fa = child(faktura, 'Fa');
  const sellerNip = text(seller, 'NIP');
  const invoiceNumber = text(fa, 'P_2');
  const issueDate = text(fa, 'P_1');
  const type = text(fa, 'RodzajFaktury');
  if (!sellerNip || !invoiceNumber || !issueDate || !type) throw new InvoiceFactsError('Podmiot1/NIP, P_1, P_2 or RodzajFaktury is missing.');
  const buyerNip = text(buyerId, 'NIP');
  const buyerVatUe = text(buyerId, 'NrVatUE');
  const buyerOther = text(buyerId, 'NrID');
  const buyer: InvoiceFacts['buyer'] = buyerNip
    ? { type: 'Nip', value: buyerNip, name: text(buyerId, 'Nazwa') }
    : buyerVatUe
      ? { type: 'VatUe', value: `${text(buyerId, 'KodUE') ?? ''}${buyerVatUe}`, name: text(buyerId, 'Nazwa') }
      : buyerOther
        ? { type: 'Other', value: buyerOther, name: text(buyerId, 'Nazwa') }
        : { type: 'None', value: null, name: text(buyerId, 'Nazwa') };
  const thirds = ((faktura['Podmiot3'] as Node[] | undefined) ?? []).map((p) => ({
    nip: text(child(p, 'DaneIdentyfikacyjne'), 'NIP'),
    name: text(child(p, 'DaneIdentyfikacyjne'), 'Nazwa'),
    role: Number(text(p, 'Rola') ?? 0),
  }));
  return {
    sellerNip,
    sellerName: text(seller, 'Nazwa'),
    buyer,
    thirdSubjects: thirds,
    invoiceNumber,
    issueDate,
    invoiceTypeCode: type,
    currency: text(fa, 'KodWaluty') ?? 'PLN',
    netAmount: sum(fa, NET_FIELDS),
    vatAmount: sum(fa, VAT_FIELDS),
    grossAmount: Number(text(fa, 'P_15') ?? 0),
    isSelfInvoicing: text(child(fa, 'Adnotacje'), 'P_17') === '1',
    hasAttachment: child(faktura, 'Zalacznik') !== undefined,
  };
}

/** The `kodSystemowy`/`wersjaSchemy`/value of `Naglowek/KodFormularza`. */
export function readFormCode(xml: string): { systemCode: string; schemaVersion: string; value: string } | null {
  const doc = parser.parse(xml) as Node;
  const code = child(child(child(doc, 'Faktura'), 'Naglowek'), 'KodFormularza');
  if (!code) return null;
  return { systemCode: String(code['@_kodSystemowy'] ?? ''), schemaVersion: String(code['@_wersjaSchemy'] ?? ''), value: String(code['#text'] ?? '') };
}
