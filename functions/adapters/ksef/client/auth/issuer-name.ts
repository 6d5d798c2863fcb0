import type { X509Certificate } from 'node:crypto';

/*
 * The issuer of a certificate as an RFC 4514 string, for XAdES' SigningCertificate/IssuerSerial/
 * X509IssuerName (XML-DSig 1.1 §4.5.4.1 points there). Built from the certificate's DER, not from
 * node's `X509Certificate.issuer`, which is OpenSSL's own, already escaped, one-attribute-a-line text.
 * A library would parse the certificate for us (@peculiar/x509, @peculiar/asn1-x509), but either one
 * adds 180–350 KB to the Lambda bundles, which have less than 10 KB to spare; reaching the issuer Name
 * takes only a few DER structures, read here.
 */

/** The DER of a certificate cannot be read as far as its issuer. */
export class CertificateDerError extends Error {
  override readonly name = 'CertificateDerError';
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const OBJECT_IDENTIFIER = 0x06;
const CONTEXT_0 = 0xa0;

function tlvAt(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new CertificateDerError('truncated DER');
  const tag = der[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new CertificateDerError('multi-byte DER tag');
  let length = der[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new CertificateDerError('unsupported DER length');
    if (contentStart + octets > limit) throw new CertificateDerError('truncated DER');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[contentStart + i] as number);
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new CertificateDerError('truncated DER');
  return { tag, start: offset, contentStart, end };
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = tlvAt(der, at, parent.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv?.tag !== tag) throw new CertificateDerError(`no ${what}`);
  return tlv;
}

function decodeOid(bytes: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of bytes) {
    value = value * 128n + BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs[0];
  if (first === undefined || bytes.length === 0 || ((bytes[bytes.length - 1] as number) & 0x80) !== 0) throw new CertificateDerError('bad OID');
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** One AttributeTypeAndValue of a name: its type, and its value as DER (tag, length, contents). */
export interface NameAttribute {
  readonly oid: string;
  readonly tag: number;
  readonly contents: Uint8Array;
  readonly der: Uint8Array;
}

/** A Name as its RDNs in DER order (most general first), each with its attributes in encoded order. */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

/** The issuer Name of a DER certificate: Certificate → TBSCertificate → [version], serial, signature, issuer. */
export function certificateIssuer(der: Uint8Array): DistinguishedName {
  const certificate = expectTag(tlvAt(der, 0, der.length), SEQUENCE, 'Certificate');
  const tbs = expectTag(childrenOf(der, certificate)[0], SEQUENCE, 'TBSCertificate');
  const fields = childrenOf(der, tbs);
  const first = fields[0]?.tag === CONTEXT_0 ? 1 : 0;
  expectTag(fields[first], INTEGER, 'serialNumber');
  expectTag(fields[first + 1], SEQUENCE, 'signature');
  const issuer = expectTag(fields[first + 2], SEQUENCE, 'issuer');
  return childrenOf(der, issuer).map((rdn) =>
    childrenOf(der, expectTag(rdn, SET, 'RDN')).map((atv) => {
      const [type, value] = childrenOf(der, expectTag(atv, SEQUENCE, 'AttributeTypeAndValue'));
      const oidTlv = expectTag(type, OBJECT_IDENTIFIER, 'AttributeType');
      if (value === undefined) throw new CertificateDerError('attribute without value');
      return {
        oid: decodeOid(der.subarray(oidTlv.contentStart, oidTlv.end)),
        tag: value.tag,
        contents: der.subarray(value.contentStart, value.end),
        der: der.subarray(value.start, value.end),
      };
    }),
  );
}

/** The attribute types RFC 4514 §3 says every implementation recognises; all others are written as OIDs. */
const RFC4514_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** The text of a string-typed value; null for any other type (or bytes its type does not allow). */
function stringOf(attribute: NameAttribute): string | null {
  const bytes = attribute.contents;
  switch (attribute.tag) {
    case 0x0c: // UTF8String
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return null;
      }
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return bytes.every((b) => b < 0x80) ? Buffer.from(bytes).toString('latin1') : null;
    case 0x1e: // BMPString: UTF-16BE
      return bytes.length % 2 === 0 ? Buffer.from(bytes).swap16().toString('utf16le') : null;
    default: // TeletexString (no agreed character set), UniversalString (unseen in CA names) and the rest: written as BER
      return null;
  }
}

const hexByte = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/**
 * RFC 4514 §2.4 escaping: `" + , ; < > \` always; a leading space or `#` and a trailing space; control
 * characters as `\XX` and the trailing space as `\20`, as XML-DSig 1.1 §4.5.4.1 adds.
 */
function escapeValue(value: string): string {
  const chars = Array.from(value);
  return chars
    .map((ch, i) => {
      const code = ch.codePointAt(0) as number;
      if (code < 0x20 || code === 0x7f) return `\\${hexByte(code)}`;
      if ('"+,;<>\\'.includes(ch)) return `\\${ch}`;
      if (i === 0 && (ch === ' ' || ch === '#')) return `\\${ch}`;
      if (i === chars.length - 1 && ch === ' ') return '\\20';
      return ch;
    })
    .join('');
}

function attributeText(attribute: NameAttribute): string {
  const name = RFC4514_NAMES[attribute.oid];
  const text = name === undefined ? null : stringOf(attribute);
  // RFC 4514 §2.4: a type written as an OID, or a value with no string form, is `#` and the value's BER in hex.
  if (name === undefined || text === null) return `${name ?? attribute.oid}=#${Buffer.from(attribute.der).toString('hex')}`;
  return `${name}=${escapeValue(text)}`;
}

/** A Name in RFC 4514 form: RDNs most specific first, separated by `,`; a multi-valued RDN's values by `+`. */
export function rfc4514(name: DistinguishedName): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map(attributeText).join('+'))
    .join(',');
}

/** The certificate's issuer in RFC 4514 form, as XAdES' X509IssuerName wants it. */
export function issuerName(certificate: X509Certificate): string {
  return rfc4514(certificateIssuer(certificate.raw));
}
