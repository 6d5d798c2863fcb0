import { DOMParser } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';
import { SchemaValidationError } from '../../domain/errors.js';
import type { InvoiceParser } from '../../ports/invoice-parser.js';
import { INVOICE_TYPES, isCorrectingInvoice, sumAmounts, type BuyerIdentifier, type CorrectedInvoiceRef, type InvoiceFields, type InvoiceType } from '../../domain/documents.js';

/*
 * Reads the key fields of an FA(3) invoice. It expects a document that has passed the FA(3) XSD
 * (the schema guarantees the elements read here exist and have the right shape); anything missing
 * anyway is reported as a SchemaValidationError naming the element, never as a crash.
 * Well-formedness is fast-xml-parser's strict validator; the fields are read from @xmldom/xmldom's
 * DOM (the KSeF client's XML library, so the code-unit bundles carry one XML parser, not two).
 */

const NET_ELEMENTS = ['P_13_1', 'P_13_2', 'P_13_3', 'P_13_4', 'P_13_5', 'P_13_6_1', 'P_13_6_2', 'P_13_6_3', 'P_13_7', 'P_13_8', 'P_13_9', 'P_13_10', 'P_13_11'];
const VAT_ELEMENTS = ['P_14_1', 'P_14_2', 'P_14_3', 'P_14_4', 'P_14_5'];

/** An element, read as fast-xml-parser would: by local name (namespaces ignored), text trimmed, entities decoded. */
interface Node {
  readonly element: Element;
}

/** Every child element named `name` (its local name). */
function childElements(node: Node, name: string): Node[] {
  const found: Node[] = [];
  for (let child = node.element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === 1 && (child as Element).localName === name) found.push({ element: child as Element });
  }
  return found;
}

/** Throws SchemaValidationError when `xml` is not well-formed or carries a DOCTYPE (never needed by FA(3)). */
export function checkWellFormed(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) {
    throw new SchemaValidationError([{ line: lineOf(xml, xml.search(/<!DOCTYPE/i)), element: null, message: 'A DOCTYPE is not allowed in an invoice.' }]);
  }
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    throw new SchemaValidationError([{ line: verdict.err.line, element: null, message: `The document is not well-formed XML: ${verdict.err.msg}` }]);
  }
}

export function parseFa3(xml: string): InvoiceFields {
  checkWellFormed(xml);
  const document = new DOMParser({ errorHandler: { warning: () => undefined, error: () => undefined, fatalError: () => undefined } }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (root === null || root.localName !== 'Faktura') return missing('Faktura', 'is missing');
  const faktura: Node = { element: root };
  const podmiot1 = child(faktura, 'Podmiot1', 'Faktura/Podmiot1');
  const seller = child(podmiot1, 'DaneIdentyfikacyjne', 'Podmiot1/DaneIdentyfikacyjne');
  const podmiot2 = child(faktura, 'Podmiot2', 'Faktura/Podmiot2');
  const buyer = child(podmiot2, 'DaneIdentyfikacyjne', 'Podmiot2/DaneIdentyfikacyjne');
  const fa = child(faktura, 'Fa', 'Faktura/Fa');

  const invoiceType = text(fa, 'RodzajFaktury', 'Fa/RodzajFaktury');
  if (!(INVOICE_TYPES as readonly string[]).includes(invoiceType)) missing('Fa/RodzajFaktury', `'${invoiceType}' is not an FA(3) invoice type`);
  const fields = {
    sellerNip: text(seller, 'NIP', 'Podmiot1/DaneIdentyfikacyjne/NIP'),
    sellerName: optionalText(seller, 'Nazwa'),
    buyer: buyerOf(buyer),
    buyerName: optionalText(buyer, 'Nazwa'),
    invoiceType: invoiceType as InvoiceType,
    invoiceNumber: text(fa, 'P_2', 'Fa/P_2'),
    issueDate: text(fa, 'P_1', 'Fa/P_1'),
    currency: text(fa, 'KodWaluty', 'Fa/KodWaluty'),
    netAmount: sumOf(fa, NET_ELEMENTS),
    vatAmount: sumOf(fa, VAT_ELEMENTS),
    grossAmount: amount(text(fa, 'P_15', 'Fa/P_15'), 'Fa/P_15'),
    corrects: [] as CorrectedInvoiceRef[],
  };
  if (isCorrectingInvoice(fields)) fields.corrects = correctionsOf(fa);
  return fields;
}

function buyerOf(node: Node): BuyerIdentifier {
  const nip = optionalText(node, 'NIP');
  if (nip !== null) return { type: 'Nip', value: nip };
  const vatUe = optionalText(node, 'NrVatUE');
  if (vatUe !== null) return { type: 'VatUe', value: `${optionalText(node, 'KodUE') ?? ''}${vatUe}` };
  const other = optionalText(node, 'NrID');
  if (other !== null) return { type: 'Other', value: `${optionalText(node, 'KodKraju') ?? ''}${other}` };
  return { type: 'None', value: null };
}

function correctionsOf(fa: Node): CorrectedInvoiceRef[] {
  const refs = childElements(fa, 'DaneFaKorygowanej');
  if (refs.length === 0) missing('Fa/DaneFaKorygowanej', 'a correcting invoice must name the invoice it corrects');
  return refs.map((ref) => ({
    invoiceNumber: text(ref, 'NrFaKorygowanej', 'Fa/DaneFaKorygowanej/NrFaKorygowanej'),
    issueDate: text(ref, 'DataWystFaKorygowanej', 'Fa/DaneFaKorygowanej/DataWystFaKorygowanej'),
    ksefNumber: optionalText(ref, 'NrKSeFFaKorygowanej'),
    outsideKsef: optionalText(ref, 'NrKSeFN') === '1',
  }));
}

function sumOf(fa: Node, elements: readonly string[]): string {
  const values = elements.flatMap((name) => {
    const value = optionalText(fa, name);
    return value === null ? [] : [amount(value, `Fa/${name}`)];
  });
  return sumAmounts(values);
}

function amount(value: string, path: string): string {
  try {
    return sumAmounts([value]);
  } catch {
    return missing(path, `'${value}' is not an amount`);
  }
}

/** The one child element `name` that has elements of its own. */
function child(node: Node, name: string, path: string): Node {
  const [found, ...more] = childElements(node, name);
  if (found === undefined || more.length > 0 || !hasChildElements(found)) return missing(path, 'is missing');
  return found;
}

function hasChildElements(node: Node): boolean {
  for (let child = node.element.firstChild; child !== null; child = child.nextSibling) if (child.nodeType === 1) return true;
  return false;
}

function text(node: Node, name: string, path: string): string {
  return optionalText(node, name) ?? missing(path, 'is missing or empty');
}

/** The trimmed text of the one child element `name` that holds only text; null when absent, empty or not text. */
function optionalText(node: Node, name: string): string | null {
  const [found, ...more] = childElements(node, name);
  if (found === undefined || more.length > 0 || hasChildElements(found)) return null;
  const value = (found.element.textContent ?? '').trim();
  return value === '' ? null : value;
}

function missing(path: string, reason: string): never {
  const element = path.split('/').at(-1) ?? path;
  throw new SchemaValidationError([{ line: null, element, message: `${path} ${reason}.` }]);
}

function lineOf(xml: string, index: number): number {
  return xml.slice(0, Math.max(index, 0)).split('\n').length;
}

/** The functions above as an InvoiceParser, for the use cases' dependencies. */
export const fa3Parser: InvoiceParser = { checkWellFormed, parse: parseFa3 };
