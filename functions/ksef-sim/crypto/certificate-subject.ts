import { badRequest } from '../http/api-error.js';
import type { Dn } from './distinguished-name.js';

/*
 * Who a certificate names, read from its subject attributes one by one as KSeF documents it (DOCS
 * auth/podpis-xades.md, "Wymagane atrybuty certyfikatów kwalifikowanych"): a seal carries the NIP in
 * organizationIdentifier (2.5.4.97) as VATPL-<NIP> and no givenName or surname; a personal certificate
 * carries TINPL-/NIP-<NIP> or PNOPL-/PESEL-<PESEL> in serialNumber (2.5.4.5). Text elsewhere in the
 * subject (a CN that reads "organizationIdentifier=VATPL-…") identifies no one. KSeF's own patterns
 * are unanchored (`(VATPL).*?(\d{10})`); the simulator wants the whole value in the ETSI EN 319 412-1
 * form, which every certificate KSeF issues or accepts in practice has.
 */

const OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  givenName: '2.5.4.42',
  organizationIdentifier: '2.5.4.97',
} as const;

type AttributeName = keyof typeof OID;

export interface CertificateSubject {
  /** A company seal (organizationIdentifier) or a personal certificate. */
  readonly kind: 'seal' | 'person';
  readonly nip: string | null;
  readonly pesel: string | null;
}

const INVALID = 'invalidCertificate';

function valuesOf(subject: Dn, name: AttributeName): string[] {
  return subject.flatMap((rdn) => rdn.filter((attribute) => attribute.oid === OID[name]).map((attribute) => attribute.value));
}

function single(subject: Dn, name: AttributeName): string | null {
  const values = valuesOf(subject, name);
  if (values.length > 1) throw badRequest(INVALID, `Podmiot certyfikatu zawiera więcej niż jeden atrybut ${name} (${OID[name]}).`);
  return values[0] ?? null;
}

function requireAll(subject: Dn, names: readonly AttributeName[], kind: string): void {
  const missing = names.filter((name) => valuesOf(subject, name).length === 0);
  if (missing.length > 0) throw badRequest(INVALID, `Certyfikat ${kind} nie zawiera wymaganych atrybutów podmiotu: ${missing.map((name) => `${name} (${OID[name]})`).join(', ')}.`);
}

/** The identity a certificate's subject carries; a subject KSeF refuses is a 400/21115. */
export function certificateSubject(subject: Dn): CertificateSubject {
  const organizationIdentifier = single(subject, 'organizationIdentifier');
  if (organizationIdentifier !== null) {
    const personal = (['givenName', 'surname'] as const).filter((name) => valuesOf(subject, name).length > 0);
    if (personal.length > 0) {
      throw badRequest(INVALID, `Certyfikat pieczęci (organizationIdentifier) nie może zawierać atrybutów podmiotu ${personal.map((name) => `${name} (${OID[name]})`).join(', ')}.`);
    }
    requireAll(subject, ['organization', 'commonName', 'country'], 'pieczęci');
    return { kind: 'seal', nip: /^VATPL-(\d{10})$/.exec(organizationIdentifier)?.[1] ?? null, pesel: null };
  }
  requireAll(subject, ['givenName', 'surname', 'serialNumber', 'commonName', 'country'], 'osoby fizycznej');
  const serialNumber = single(subject, 'serialNumber') ?? '';
  return {
    kind: 'person',
    nip: /^(?:TINPL|NIP)-(\d{10})$/.exec(serialNumber)?.[1] ?? null,
    pesel: /^(?:PNOPL|PESEL)-(\d{11})$/.exec(serialNumber)?.[1] ?? null,
  };
}
