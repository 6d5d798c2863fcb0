import type { SubjectIdentifierType } from './credentials.js';

export const AUTH_TOKEN_NAMESPACES = {
  '2.0': 'http://ksef.mf.gov.pl/auth/token/2.0',
  '2.1': 'http://ksef.mf.gov.pl/auth/token/2.1',
} as const;

export type AuthTokenRequestVersion = keyof typeof AUTH_TOKEN_NAMESPACES;

export type ContextIdentifier = { readonly type: 'Nip' | 'InternalId' | 'NipVatUe' | 'PeppolId'; readonly value: string };

export interface AuthTokenRequestInput {
  readonly challenge: string;
  readonly context: ContextIdentifier;
  readonly subjectIdentifierType: SubjectIdentifierType;
  readonly allowedIps?: { readonly ip4Addresses?: readonly string[]; readonly ip4Ranges?: readonly string[]; readonly ip4Masks?: readonly string[] };
  /** 2.1 (API ≥ 2.5.0) by default; 2.0 differs only in IP patterns that XSD engines such as libxml2 reject. */
  readonly version?: AuthTokenRequestVersion;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The unsigned `AuthTokenRequest` (xsd/auth/schemat_auth_v2-0.xsd and v2-1), elements in schema order. */
export function buildAuthTokenRequest(input: AuthTokenRequestInput): string {
  const ns = AUTH_TOKEN_NAMESPACES[input.version ?? '2.1'];
  const ips = input.allowedIps;
  const policy = ips
    ? `<AuthorizationPolicy><AllowedIps>${[
        ...(ips.ip4Addresses ?? []).map((v) => `<Ip4Address>${escapeXml(v)}</Ip4Address>`),
        ...(ips.ip4Ranges ?? []).map((v) => `<Ip4Range>${escapeXml(v)}</Ip4Range>`),
        ...(ips.ip4Masks ?? []).map((v) => `<Ip4Mask>${escapeXml(v)}</Ip4Mask>`),
      ].join('')}</AllowedIps></AuthorizationPolicy>`
    : '';
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<AuthTokenRequest xmlns="${ns}">` +
    `<Challenge>${escapeXml(input.challenge)}</Challenge>` +
    `<ContextIdentifier><${input.context.type}>${escapeXml(input.context.value)}</${input.context.type}></ContextIdentifier>` +
    `<SubjectIdentifierType>${input.subjectIdentifierType}</SubjectIdentifierType>` +
    policy +
    `</AuthTokenRequest>`
  );
}
