import { DOMParser } from '@xmldom/xmldom';

/** Namespaces and small DOM helpers for the XAdES checks (direct children only: nothing is searched for deep down). */
export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const XADES = 'http://uri.etsi.org/01903/v1.3.2#';

/** A parsed document, or null with the parser's complaints in `errors`. */
export function parseXml(xml: string, errors: string[] = []): Document | null {
  const doc = new DOMParser({
    errorHandler: { warning: () => undefined, error: (msg: string) => void errors.push(msg), fatalError: (msg: string) => void errors.push(msg) },
  }).parseFromString(xml, 'application/xml');
  return errors.length > 0 || !doc.documentElement ? null : doc;
}

export function elementChildren(parent: Element | Document): Element[] {
  return Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1);
}

export function childElements(parent: Element, ns: string, local: string): Element[] {
  return elementChildren(parent).filter((e) => e.namespaceURI === ns && e.localName === local);
}

/** The one direct child of that name, or null when there is none or more than one. */
export function onlyChild(parent: Element, ns: string, local: string): Element | null {
  const children = childElements(parent, ns, local);
  return children.length === 1 ? (children[0] as Element) : null;
}

/** Elements whose Id, ID or id attribute has this value (the attributes xml-crypto resolves references by). */
export function elementsWithId(doc: Document, id: string): Element[] {
  return Array.from(doc.getElementsByTagName('*')).filter((e) => ['Id', 'ID', 'id'].some((name) => e.getAttribute(name) === id));
}

/** Whether `node` is `ancestor` or lies inside it. */
export function within(node: Node | null, ancestor: Node): boolean {
  for (let n = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}
