import { DOMParser } from '@xmldom/xmldom';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { readFileSync } from 'node:fs';
import { buildAuthTokenRequest } from '../../functions/adapters/ksef/client/auth/auth-token-request.js';
import { loadSigningIdentity } from '../../functions/adapters/ksef/client/auth/credentials.js';
import { credentialsFromPkcs12 } from '../../functions/adapters/ksef/client/auth/pkcs12.js';
import { createTestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { signXades, withEcdsa } from '../../functions/adapters/ksef/client/auth/xades-sign.js';
import { KsefConfigurationError } from '../../functions/ports/ksef-errors.js';

const NIP = '5265877635';
const CHALLENGE = '20250514-CR-226FB7B000-3ACF9BE4C0-10';
const unsigned = () => buildAuthTokenRequest({ challenge: CHALLENGE, context: { type: 'Nip', value: NIP }, subjectIdentifierType: 'certificateSubject' });

function verify(xml: string, certificatePem: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const verifier = withEcdsa(new SignedXml({ publicCert: certificatePem }));
  const signature = verifier.findSignatures(doc)[0];
  if (!signature) return false;
  verifier.loadSignature(signature);
  return verifier.checkSignature(xml);
}

describe('XAdES signing of the AuthTokenRequest', () => {
  it('the unsigned AuthTokenRequest, with an IP policy, is valid against the official v2.1 auth schema', async () => {
    // v2-0's IP patterns use \\b, which XSD regexes do not have; v2-1 fixed only those (README §2.1).
    const schema = readFileSync(new URL('../../functions/adapters/xml/schemas/auth/schemat_auth_v2-1.xsd', import.meta.url), 'utf8');
    const xml = buildAuthTokenRequest({
      challenge: CHALLENGE,
      context: { type: 'Nip', value: NIP },
      subjectIdentifierType: 'certificateFingerprint',
      allowedIps: { ip4Addresses: ['192.168.0.1'], ip4Masks: ['10.0.0.0/8'] },
      version: '2.1',
    });
    const result = await validateXML({ xml: [{ fileName: 'auth.xml', contents: xml }], schema: [{ fileName: 'auth.xsd', contents: schema }] });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  for (const keyType of ['RSA', 'EC'] as const) {
    it(`an ${keyType} signature is enveloped XAdES-BES that verifies with the certificate`, async () => {
      // Prepare
      const cert = await createTestCertificate({ nip: NIP, keyType });
      const identity = await loadSigningIdentity({ kind: 'certificate', ...cert });
      // Act
      const signed = signXades(unsigned(), identity, new Date('2026-11-25T10:00:00Z'));
      // Assess
      expect(verify(signed, cert.certificatePem)).toBe(true);
      expect(signed).toContain('<xades:SigningTime>2026-11-25T10:00:00Z</xades:SigningTime>');
      expect(signed).toContain('Type="http://uri.etsi.org/01903#SignedProperties"');
      expect(signed).toContain('http://www.w3.org/2000/09/xmldsig#enveloped-signature');
      expect(signed).toContain(keyType === 'EC' ? 'xmldsig-more#ecdsa-sha256' : 'xmldsig-more#rsa-sha256');
      expect(signed).toContain(`<xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${identity.certificate.fingerprint256.replace(/:/g, '').length === 64 ? Buffer.from(identity.certificate.fingerprint256.replace(/:/g, ''), 'hex').toString('base64') : ''}</ds:DigestValue>`);
      expect(signed).toContain(`VATPL-${NIP}`);
    });
  }

  it('an EC signature value is R||S (64 bytes), not DER', async () => {
    const cert = await createTestCertificate({ nip: NIP, keyType: 'EC' });
    const signed = signXades(unsigned(), await loadSigningIdentity({ kind: 'certificate', ...cert }), new Date());
    const value = /<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/.exec(signed)?.[1] ?? '';
    expect(Buffer.from(value, 'base64')).toHaveLength(64);
  });

  it('a signed request whose challenge was changed afterwards no longer verifies', async () => {
    const cert = await createTestCertificate({ nip: NIP, keyType: 'EC' });
    const signed = signXades(unsigned(), await loadSigningIdentity({ kind: 'certificate', ...cert }), new Date());
    expect(verify(signed.replace(CHALLENGE, '20250514-CR-226FB7B000-3ACF9BE4C0-11'), cert.certificatePem)).toBe(false);
  });

  it('a PKCS#12 file yields the certificate and key it holds', async () => {
    // Prepare: an RSA certificate packed by node-forge with a password.
    const cert = await createTestCertificate({ nip: NIP, keyType: 'RSA' });
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(cert.privateKeyPem), [forge.pki.certificateFromPem(cert.certificatePem)], 'sekret', { algorithm: 'aes256' });
    const bytes = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
    // Act
    const identity = await loadSigningIdentity(credentialsFromPkcs12(bytes, 'sekret'));
    // Assess
    expect(identity.certificate.subject).toContain(`VATPL-${NIP}`);
    expect(verify(signXades(unsigned(), identity, new Date()), cert.certificatePem)).toBe(true);
  });

  it('a PKCS#12 file with the wrong password is a configuration error', async () => {
    const cert = await createTestCertificate({ nip: NIP, keyType: 'RSA' });
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(cert.privateKeyPem), [forge.pki.certificateFromPem(cert.certificatePem)], 'sekret', { algorithm: 'aes256' });
    expect(() => credentialsFromPkcs12(Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), 'wrong')).toThrow(KsefConfigurationError);
  });

  it('a key that does not belong to the certificate is refused with a configuration error', async () => {
    const a = await createTestCertificate({ nip: NIP, keyType: 'EC' });
    const b = await createTestCertificate({ nip: NIP, keyType: 'EC' });
    await expect(loadSigningIdentity({ kind: 'certificate', certificatePem: a.certificatePem, privateKeyPem: b.privateKeyPem })).rejects.toThrow(KsefConfigurationError);
  });
});
