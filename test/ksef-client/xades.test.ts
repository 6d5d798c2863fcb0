import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { readFileSync } from 'node:fs';
import { buildAuthTokenRequest } from '../../functions/adapters/ksef/client/auth/auth-token-request.js';
import { loadSigningIdentity, SigningCredentialsError } from '../../functions/adapters/ksef/client/auth/credentials.js';
import { credentialsFromPkcs12 } from '../../functions/adapters/ksef/client/auth/pkcs12.js';
import { createTestCertificate, nameValue, type TestName } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { signXades } from '../../functions/adapters/ksef/client/auth/xades-sign.js';
import { verifyAuthTokenRequest } from '../../functions/ksef-sim/crypto/xades-verify.js';
import { KsefConfigurationError } from '../../functions/ports/ksef-errors.js';
import { verifyIndependently } from './helpers/independent-xades.js';

const NIP = '5265877635';
const CHALLENGE = '20250514-CR-226FB7B000-3ACF9BE4C0-10';
const SIGNING_TIME = new Date('2026-11-25T10:00:00Z');
const unsigned = () => buildAuthTokenRequest({ challenge: CHALLENGE, context: { type: 'Nip', value: NIP }, subjectIdentifierType: 'certificateSubject' });

/** An issuer with every character RFC 4514 escapes, spaces at both ends, non-ASCII text and a multi-valued RDN. */
const SPECIAL_ISSUER: TestName = [
  { C: [nameValue('PL')] },
  { O: [nameValue('Kowalski, Nowak i Wspólnicy sp.k.')], OU: [nameValue('Dział "A+B" <Łódź>; #2 \\ zaufanie')] },
  { '2.5.4.97': [nameValue('VATPL-5260250274')] },
  { CN: [nameValue(' #Wspólnicy CA 2026 ')] },
];

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
    for (const subject of ['seal', 'person'] as const) {
      it(`an ${keyType} ${subject} signature under an issuer full of special characters verifies with an independent XAdES implementation`, async () => {
        // Prepare
        const cert = await createTestCertificate({ nip: NIP, keyType, subject, issuerName: SPECIAL_ISSUER, now: SIGNING_TIME });
        const identity = await loadSigningIdentity({ kind: 'certificate', ...cert });
        // Act
        const signed = signXades(unsigned(), identity, SIGNING_TIME);
        const verdict = await verifyIndependently(signed);
        // Assess
        expect(verdict.signatureValid).toBe(true);
        expect(verdict.references).toEqual([
          { uri: '', type: null, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'] },
          { uri: expect.stringMatching(/^#SignedProperties-/), type: 'http://uri.etsi.org/01903#SignedProperties', transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'] },
        ]);
        expect(verdict.signingTime).toEqual(SIGNING_TIME);
        expect(verdict.certDigestMatches).toBe(true);
        expect(verdict.issuerName).toBe('CN=\\ #Wspólnicy CA 2026\\20,2.5.4.97=#1310564154504c2d35323630323530323734,O=Kowalski\\, Nowak i Wspólnicy sp.k.+OU=Dział \\"A\\+B\\" \\<Łódź\\>\\; #2 \\\\ zaufanie,C=PL');
        expect(verdict.issuerNameMatches).toBe(true);
        expect(verdict.serialMatches).toBe(true);
        expect(signed).toContain(keyType === 'EC' ? 'xmldsig-more#ecdsa-sha256' : 'xmldsig-more#rsa-sha256');
        // The simulator, which checks the login as KSeF does, reads the same signer out of it.
        expect(verifyAuthTokenRequest(signed).subject).toEqual({ kind: subject, nip: NIP, pesel: null });
      });
    }
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
    expect((await verifyIndependently(signed)).signatureValid).toBe(true);
    expect((await verifyIndependently(signed.replace(CHALLENGE, '20250514-CR-226FB7B000-3ACF9BE4C0-11'))).signatureValid).toBe(false);
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
    expect((await verifyIndependently(signXades(unsigned(), identity, new Date()))).signatureValid).toBe(true);
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

  it('an RSA key under 2048 bits is refused before anything is signed', async () => {
    // Prepare
    const weak = await createTestCertificate({ nip: NIP, keyType: 'RSA', rsaBits: 1024 });
    // Act
    const loading = loadSigningIdentity({ kind: 'certificate', ...weak });
    // Assess
    await expect(loading).rejects.toThrow(SigningCredentialsError);
    await expect(loading).rejects.toThrow('the key is RSA with 1024 bits; KSeF accepts RSA keys of at least 2048 bits');
  });
});
