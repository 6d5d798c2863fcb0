import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { buildKsefNumber, buildReferenceNumber, type ReferenceNumberType } from '../../domain/ksef-number.js';

export const WARSAW = 'Europe/Warsaw';

/** Calendar day (`YYYY-MM-DD`) of an instant in Europe/Warsaw, the zone of KSeF's business dates. */
export function warsawDay(at: Date): string {
  return DateTime.fromJSDate(at, { zone: WARSAW }).toISODate() as string;
}

/** ISO-8601 with the Warsaw offset, as UPO documents show times. */
export function warsawIso(at: Date): string {
  return DateTime.fromJSDate(at, { zone: WARSAW }).toISO() as string;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

export function newReferenceNumber(type: ReferenceNumberType, at: Date): string {
  return buildReferenceNumber(warsawDay(at), type, hex(10));
}

export function newKsefNumber(sellerNip: string, at: Date): string {
  return buildKsefNumber(sellerNip, warsawDay(at), hex(6));
}

/** Challenges look like reference numbers with type CR (36 characters). */
export function newChallenge(at: Date): string {
  return newReferenceNumber('CR', at);
}
