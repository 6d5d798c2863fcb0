import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';

/*
 * Distinguished names for the XAdES checks: a parser of the string form (RFC 4514, plus what RFC 1779
 * and .NET write: spaces around separators, quoted values, `OID.` prefixes) and the names of a
 * certificate as @peculiar/x509 reads them. The client writes names with its own DER reader
 * (client/auth/issuer-name.ts); reading them back with other code (@peculiar/asn1-x509 here) is the
 * point of the check.
 */

/** One attribute: its type as an OID and its value as text (a `#` BER value is decoded when it is a string). */
export interface DnAttribute {
  readonly oid: string;
  readonly value: string;
}

/** RDNs as written: most specific first in a string, most general first in a certificate. */
export type Dn = readonly (readonly DnAttribute[])[];

const TYPE_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  STREET: '2.5.4.9',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  SERIALNUMBER: '2.5.4.5',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
};

/** The text of a BER-encoded string value (UTF8, Printable, IA5, Numeric, Visible, BMP, Universal), or null. */
export function berString(ber: Uint8Array): string | null {
  if (ber.length < 2) return null;
  const tag = ber[0] as number;
  let length = ber[1] as number;
  let start = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3) return null;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (ber[2 + i] ?? 0);
    start += octets;
  }
  if (start + length !== ber.length) return null;
  const body = Buffer.from(ber.subarray(start));
  try {
    if (tag === 0x0c) return new TextDecoder('utf-8', { fatal: true }).decode(body);
    if (tag === 0x12 || tag === 0x13 || tag === 0x16 || tag === 0x1a) return body.every((b) => b < 0x80) ? body.toString('latin1') : null;
    if (tag === 0x1e && body.length % 2 === 0) return Buffer.from(body).swap16().toString('utf16le');
    if (tag === 0x1c && body.length % 4 === 0) return String.fromCodePoint(...Array.from({ length: body.length / 4 }, (_, i) => body.readUInt32BE(i * 4)));
  } catch {
    return null;
  }
  return null;
}

class DnSyntaxError extends Error {}

/** Parses a distinguished name string; null when it is not one. */
export function parseDn(text: string): Dn | null {
  try {
    return new DnParser(text).parse();
  } catch (error) {
    if (error instanceof DnSyntaxError) return null;
    throw error;
  }
}

class DnParser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Dn {
    const rdns: DnAttribute[][] = [];
    this.spaces();
    if (this.at === this.text.length) return rdns;
    for (;;) {
      const rdn = [this.attribute()];
      while (this.peek() === '+') {
        this.at++;
        this.spaces();
        rdn.push(this.attribute());
      }
      rdns.push(rdn);
      if (this.at === this.text.length) return rdns;
      if (this.peek() !== ',' && this.peek() !== ';') throw new DnSyntaxError(`unexpected '${this.peek()}' at ${this.at}`);
      this.at++;
      this.spaces();
    }
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private spaces(): void {
    while (this.peek() === ' ') this.at++;
  }

  private attribute(): DnAttribute {
    const type = /^(?:oid\.)?([0-9]+(?:\.[0-9]+)+|[A-Za-z][A-Za-z0-9-]*)/i.exec(this.text.slice(this.at));
    if (!type?.[1]) throw new DnSyntaxError(`no attribute type at ${this.at}`);
    this.at += type[0].length;
    this.spaces();
    if (this.peek() !== '=') throw new DnSyntaxError(`no '=' at ${this.at}`);
    this.at++;
    this.spaces();
    const oid = /^[0-9]/.test(type[1]) ? type[1] : TYPE_OIDS[type[1].toUpperCase()];
    if (oid === undefined) throw new DnSyntaxError(`unknown attribute type ${type[1]}`);
    return { oid, value: this.value() };
  }

  private value(): string {
    if (this.peek() === '#') {
      const hex = /^#((?:[0-9a-fA-F]{2})+)/.exec(this.text.slice(this.at));
      if (!hex?.[1]) throw new DnSyntaxError(`bad hex value at ${this.at}`);
      this.at += hex[0].length;
      this.spaces();
      const decoded = berString(Buffer.from(hex[1], 'hex'));
      if (decoded === null) throw new DnSyntaxError('a # value that is not a string');
      return decoded;
    }
    if (this.peek() === '"') return this.quoted();
    const bytes: number[] = [];
    let lastSignificant = 0;
    for (let ch = this.peek(); ch !== undefined && !',;+'.includes(ch); ch = this.peek()) {
      if (ch === '"' || ch === '<' || ch === '>') throw new DnSyntaxError(`unescaped ${ch} at ${this.at}`);
      if (ch === '\\') {
        this.escape(bytes);
        lastSignificant = bytes.length;
      } else {
        this.character(bytes);
        if (ch !== ' ') lastSignificant = bytes.length;
      }
    }
    // Unescaped trailing spaces are not part of the value (RFC 4514 escapes a trailing space).
    return utf8(bytes.slice(0, lastSignificant));
  }

  private escape(bytes: number[]): void {
    const pair = /^\\([0-9a-fA-F]{2})/.exec(this.text.slice(this.at));
    if (pair?.[1]) {
      bytes.push(parseInt(pair[1], 16));
      this.at += 3;
      return;
    }
    const special = this.text[this.at + 1];
    if (special === undefined || !' "#+,;<=>\\'.includes(special)) throw new DnSyntaxError(`bad escape at ${this.at}`);
    bytes.push(special.charCodeAt(0));
    this.at += 2;
  }

  /** One character (a whole code point) as UTF-8. */
  private character(bytes: number[]): void {
    const char = String.fromCodePoint(this.text.codePointAt(this.at) as number);
    bytes.push(...Buffer.from(char, 'utf8'));
    this.at += char.length;
  }

  private quoted(): string {
    this.at++;
    const bytes: number[] = [];
    for (let ch = this.peek(); ch !== '"'; ch = this.peek()) {
      if (ch === undefined) throw new DnSyntaxError('unterminated quoted value');
      if (ch === '\\') this.escape(bytes);
      else this.character(bytes);
    }
    this.at++;
    this.spaces();
    return utf8(bytes);
  }
}

function utf8(bytes: readonly number[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    throw new DnSyntaxError('escaped bytes that are not UTF-8');
  }
}

function namesOf(name: Name): Dn {
  return name.map((rdn) =>
    rdn.map((attribute) => {
      const any = attribute.value.anyValue;
      // Types @peculiar/asn1-x509 does not read as text (e.g. NumericString) keep their BER.
      return { oid: attribute.type, value: any ? (berString(new Uint8Array(any)) ?? `#${Buffer.from(any).toString('hex')}`) : attribute.value.toString() };
    }),
  );
}

/** Subject and issuer of a DER certificate, RDNs most general first. */
export function certificateNames(der: Uint8Array): { readonly subject: Dn; readonly issuer: Dn } {
  const { tbsCertificate } = AsnConvert.parse(Buffer.from(der), Certificate);
  return { subject: namesOf(tbsCertificate.subject), issuer: namesOf(tbsCertificate.issuer) };
}

const sameRdn = (a: readonly DnAttribute[], b: readonly DnAttribute[]) => {
  const key = (x: DnAttribute) => `${x.oid}=${x.value}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
};

/**
 * Whether a name string (most specific RDN first, as RFC 4514 writes it) names exactly this name of a
 * certificate (most general first): the same RDNs in the same order, the same types and values in each.
 */
export function dnStringMatches(text: string, name: Dn): boolean {
  const parsed = parseDn(text);
  if (parsed === null || parsed.length !== name.length) return false;
  const general = [...parsed].reverse();
  return general.every((rdn, i) => sameRdn(rdn, name[i] as readonly DnAttribute[]));
}
