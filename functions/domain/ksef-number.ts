/**
 * KSeF numbers and reference numbers (KSeF API 2.0, "numer-ksef.md").
 *
 * A KSeF number is `NIP-YYYYMMDD-XXXXXXXXXXXX-CC` (35 characters): the seller's NIP, the day the
 * invoice was accepted, 12 upper-case hex characters and a CRC-8 over the first 32 characters.
 * KSeF 1.0 numbers (36 characters) carry an extra hyphen inside the technical part.
 */

const NIP_PATTERN = /^[1-9]((\d[1-9])|([1-9]\d))\d{7}$/;
const KSEF_NUMBER_PATTERN = /^(\d{10})-(\d{4})(\d{2})(\d{2})-([0-9A-F]{6})-?([0-9A-F]{6})-([0-9A-F]{2})$/;
const REFERENCE_NUMBER_PATTERN = /^(\d{4})(\d{2})(\d{2})-([A-Z]{2})-([0-9A-F]{10})-([0-9A-F]{10})-([0-9A-F]{2})$/;
const HEX12 = /^[0-9A-F]{12}$/;
const HEX20 = /^[0-9A-F]{20}$/;

/** CRC-8, polynomial 0x07, initial value 0x00, no reflection, no final XOR (CRC-8/SMBUS). */
export function crc8(bytes: Iterable<number>): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
  }
  return crc;
}

function asciiBytes(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/** `YYYYMMDD` of a calendar day given as `YYYY-MM-DD`. */
function compactDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`Expected a day as YYYY-MM-DD, got '${day}'.`);
  return `${match[1]}${match[2]}${match[3]}`;
}

function isRealDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (daysInMonth[month - 1] ?? 0);
}

export function isValidNip(nip: string): boolean {
  return NIP_PATTERN.test(nip);
}

/** NIP check digit (weights 6,5,7,2,3,4,5,6,7; KSeF checks it on PRD only). */
export function hasValidNipChecksum(nip: string): boolean {
  if (!/^\d{10}$/.test(nip)) return false;
  const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(nip[i]), 0);
  return sum % 11 === Number(nip[9]);
}

/**
 * Builds a KSeF number. `day` is the acceptance day (`YYYY-MM-DD`, the caller decides the time
 * zone); `technicalPart` is 12 upper-case hex characters.
 */
export function buildKsefNumber(sellerNip: string, day: string, technicalPart: string): string {
  if (!isValidNip(sellerNip)) throw new RangeError(`Invalid seller NIP '${sellerNip}'.`);
  if (!HEX12.test(technicalPart)) throw new RangeError('The technical part must be 12 upper-case hex characters.');
  const body = `${sellerNip}-${compactDay(day)}-${technicalPart}`;
  return `${body}-${hex2(crc8(asciiBytes(body)))}`;
}

export interface KsefNumberParts {
  readonly sellerNip: string;
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly technicalPart: string;
  readonly checksum: string;
}

/** Parses and checks a KSeF number (format, real date, CRC-8); returns null when it is not valid. */
export function parseKsefNumber(ksefNumber: string): KsefNumberParts | null {
  const match = KSEF_NUMBER_PATTERN.exec(ksefNumber);
  if (!match) return null;
  const [, nip, y, m, d, hexA, hexB, checksum] = match as unknown as [string, string, string, string, string, string, string, string];
  if (!isValidNip(nip) || !isRealDay(Number(y), Number(m), Number(d))) return null;
  const body = ksefNumber.slice(0, ksefNumber.length - 3);
  if (hex2(crc8(asciiBytes(body))) !== checksum) return null;
  return { sellerNip: nip, day: `${y}-${m}-${d}`, technicalPart: `${hexA}${hexB}`, checksum };
}

export function isValidKsefNumber(ksefNumber: string): boolean {
  return parseKsefNumber(ksefNumber) !== null;
}

/** Type codes seen in official reference numbers. */
export const ReferenceNumberType = {
  challenge: 'CR',
  authOperation: 'AU',
  onlineSession: 'SO',
  batchSession: 'SB',
  sessionInvoice: 'EE',
  sessionUpoPage: 'EU',
  export: 'EH',
  ksefToken: 'EC',
  permissionOperation: 'EG',
} as const;
export type ReferenceNumberType = (typeof ReferenceNumberType)[keyof typeof ReferenceNumberType];

/**
 * Builds a reference number `YYYYMMDD-TT-HHHHHHHHHH-HHHHHHHHHH-HH` (36 characters). The algorithm
 * of the last two characters is not published; a CRC-8 over the rest gives the same shape and lets
 * the simulator recognise its own numbers. Clients must treat them as opaque.
 */
export function buildReferenceNumber(day: string, type: string, randomHex20: string): string {
  if (!/^[A-Z]{2}$/.test(type)) throw new RangeError(`Invalid reference type '${type}'.`);
  if (!HEX20.test(randomHex20)) throw new RangeError('The random part must be 20 upper-case hex characters.');
  const body = `${compactDay(day)}-${type}-${randomHex20.slice(0, 10)}-${randomHex20.slice(10)}`;
  return `${body}-${hex2(crc8(asciiBytes(body)))}`;
}

/** Whether a string has the shape of a reference number (36 characters, official layout). */
export function isReferenceNumberShape(value: string): boolean {
  return REFERENCE_NUMBER_PATTERN.test(value);
}
