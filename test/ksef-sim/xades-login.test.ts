import { createPrivateKey, X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { buildAuthTokenRequest } from '../../functions/adapters/ksef/client/auth/auth-token-request.js';
import { loadSigningIdentity } from '../../functions/adapters/ksef/client/auth/credentials.js';
import { issuerName } from '../../functions/adapters/ksef/client/auth/issuer-name.js';
import { createTestCertificate, nameValue, type TestCertificateOptions, type TestName } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { signXades } from '../../functions/adapters/ksef/client/auth/xades-sign.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { call } from './helpers/sim-client.js';
import { forgeXades, type ForgeOptions } from './helpers/xades-forge.js';

const NIP = '5265877635';
const OTHER_NIP = '5261040828';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const NOW = '2026-11-25T10:00:00.000Z';
const SPECIAL_ISSUER: TestName = [{ C: [nameValue('PL')] }, { O: [nameValue('Kowalski, Nowak i Wspólnicy sp.k.')], OU: [nameValue('Centrum "Q+" <KSeF>; #1')] }, { CN: [nameValue(' Wspólnicy CA ')] }];

interface Outcome {
  readonly status: number;
  /** The 400's KSeF exception code, or the final status of the authentication. */
  readonly code: number;
  readonly details: readonly string[];
}

describe('KSeF simulator: a XAdES login is verified as KSeF documents it', () => {
  const clock = new ManualClock(NOW);
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;

  beforeAll(async () => {
    sim = await createKsefSimulator({ clock, validator, rateLimits: false, delays: { authMs: 0 } });
  });
  afterAll(async () => {
    await sim.close();
    await validator.close();
  });

  const challenge = async (): Promise<string> => (await call(`${sim.url}/auth/challenge`, { method: 'POST' })).body.challenge;
  const request = (ch: string) => buildAuthTokenRequest({ challenge: ch, context: { type: 'Nip', value: NIP }, subjectIdentifierType: 'certificateSubject' });

  async function submit(xml: string): Promise<Outcome> {
    const init = await call(`${sim.url}/auth/xades-signature`, { body: xml, headers: { 'content-type': 'application/xml', 'x-error-format': 'problem-details' } });
    if (init.status !== 202) return { status: init.status, code: init.body.errors?.[0]?.code, details: init.body.errors?.[0]?.details ?? [] };
    const status = await call(`${sim.url}/auth/${init.body.referenceNumber}`, { token: init.body.authenticationToken.token });
    return { status: 202, code: status.body.status.code, details: status.body.status.details ?? [] };
  }

  /** A login signed by the forging signer with a fresh challenge. */
  async function forged(certificate: TestCertificateOptions, options: ForgeOptions = {}): Promise<Outcome> {
    const cert = await createTestCertificate({ now: clock.now(), ...certificate });
    const x509 = new X509Certificate(cert.certificatePem);
    return submit(forgeXades(request(await challenge()), createPrivateKey(cert.privateKeyPem), x509, issuerName(x509), { signingTime: clock.now().toISOString(), ...options }));
  }

  it('logs in with what the client signs and with an enveloping signature, RSA or EC, seal or person, under an issuer full of special characters', async () => {
    // Prepare
    const seal = await createTestCertificate({ nip: NIP, keyType: 'RSA', issuerName: SPECIAL_ISSUER, now: clock.now() });
    const person = await createTestCertificate({ nip: NIP, keyType: 'EC', subject: 'person', issuerName: SPECIAL_ISSUER, now: clock.now() });
    // Act
    const client = await submit(signXades(request(await challenge()), await loadSigningIdentity({ kind: 'certificate', ...seal }), clock.now()));
    const clientPerson = await submit(signXades(request(await challenge()), await loadSigningIdentity({ kind: 'certificate', ...person }), clock.now()));
    const enveloping = await forged({ nip: NIP, keyType: 'EC', issuerName: SPECIAL_ISSUER }, { enveloping: true });
    // Assess
    expect(client).toEqual({ status: 202, code: 200, details: [] });
    expect(clientPerson).toEqual({ status: 202, code: 200, details: [] });
    expect(enveloping).toEqual({ status: 202, code: 200, details: [] });
  });

  it('reads the challenge from the signed document, not from unsigned content ahead of it', async () => {
    // Prepare: a login made and used once; an attacker replays it with the signature moved to the front
    // and a fresh challenge in a ds:Object of its own, outside what the signature covers.
    const cert = await createTestCertificate({ nip: NIP, keyType: 'EC', now: clock.now() });
    const signed = signXades(request(await challenge()), await loadSigningIdentity({ kind: 'certificate', ...cert }), clock.now());
    const first = await submit(signed);
    const fresh = await challenge();
    const doc = new DOMParser().parseFromString(signed, 'application/xml');
    const root = doc.documentElement as Element;
    const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0] as Element;
    root.insertBefore(signature, root.firstChild);
    const object = doc.createElementNS(DSIG, 'ds:Object');
    const smuggled = doc.createElementNS(root.namespaceURI, 'Challenge');
    smuggled.appendChild(doc.createTextNode(fresh));
    object.appendChild(smuggled);
    signature.appendChild(object);
    // Act
    const replay = await submit(new XMLSerializer().serializeToString(doc));
    const honest = await submit(signXades(request(fresh), await loadSigningIdentity({ kind: 'certificate', ...cert }), clock.now()));
    // Assess: the replay spends the old challenge (21111), and the fresh one is still unused.
    expect(first.code).toBe(200);
    expect(replay).toMatchObject({ status: 400, code: 21111 });
    expect(honest.code).toBe(200);
  });

  it('takes the NIP only from the organizationIdentifier attribute, not from text in the common name', async () => {
    // Act: a seal of another company whose CN reads like the victim's organizationIdentifier.
    const outcome = await forged({
      nip: OTHER_NIP,
      keyType: 'EC',
      subjectName: [{ C: [nameValue('PL')] }, { O: [nameValue('Evil sp. z o.o.')] }, { CN: [nameValue(`Evil organizationIdentifier=VATPL-${NIP}`)] }, { '2.5.4.97': [nameValue(`VATPL-${OTHER_NIP}`)] }],
    });
    // Assess: it authenticates as OTHER_NIP, which holds no permission in NIP's context.
    expect(outcome).toMatchObject({ status: 202, code: 415 });
  });

  it('refuses a serialNumber holding a bare NIP without the TINPL or NIP prefix (21117)', async () => {
    // Act
    const outcome = await forged({ nip: NIP, keyType: 'EC', subjectName: [{ C: [nameValue('PL')] }, { SN: [nameValue('Kowalski')] }, { G: [nameValue('Jan')] }, { '2.5.4.5': [nameValue(NIP)] }, { CN: [nameValue('Jan Kowalski')] }] });
    // Assess
    expect(outcome).toMatchObject({ status: 400, code: 21117 });
  });

  it('refuses an RSA key of 1024 bits (9105)', async () => {
    // Act
    const outcome = await forged({ nip: NIP, keyType: 'RSA', rsaBits: 1024 });
    // Assess
    expect(outcome).toMatchObject({ status: 400, code: 9105 });
    expect(outcome.details.join(' ')).toContain('1024');
  });

  it('refuses a seal that carries givenName and surname (21115)', async () => {
    // Act
    const outcome = await forged({
      nip: NIP,
      keyType: 'EC',
      subjectName: [{ C: [nameValue('PL')] }, { O: [nameValue('Firma')] }, { SN: [nameValue('Kowalski')] }, { G: [nameValue('Jan')] }, { '2.5.4.97': [nameValue(`VATPL-${NIP}`)] }, { CN: [nameValue('Firma')] }],
    });
    // Assess
    expect(outcome).toMatchObject({ status: 400, code: 21115 });
    expect(outcome.details.join(' ')).toContain('givenName');
  });

  for (const signingTime of ['2001-01-01T00:00:00Z', '2030-01-01T00:00:00Z']) {
    it(`refuses a SigningTime of ${signingTime.slice(0, 4)}, outside the challenge's window (9105)`, async () => {
      // Act
      const outcome = await forged({ nip: NIP, keyType: 'EC' }, { signingTime });
      // Assess
      expect(outcome).toMatchObject({ status: 400, code: 9105 });
      expect(outcome.details.join(' ')).toContain('SigningTime');
    });
  }

  it('refuses an IssuerSerial that does not name the certificate: an escaped-twice issuer, or another serial (9105)', async () => {
    // Prepare
    const cert: TestCertificateOptions = { nip: NIP, keyType: 'EC', issuerName: [{ C: [nameValue('PL')] }, { O: [nameValue('Kowalski, Nowak i Wspólnicy sp.k.')] }] };
    // Act
    const doubleEscaped = await forged(cert, { issuerName: 'O=Kowalski\\\\, Nowak i Wspólnicy sp.k.,C=PL' });
    const otherSerial = await forged(cert, { serialNumber: '12345' });
    const right = await forged(cert, { issuerName: 'O=Kowalski\\, Nowak i Wspólnicy sp.k.,C=PL' });
    // Assess
    expect(doubleEscaped).toMatchObject({ status: 400, code: 9105 });
    expect(doubleEscaped.details.join(' ')).toContain('X509IssuerName');
    expect(otherSerial).toMatchObject({ status: 400, code: 9105 });
    expect(otherSerial.details.join(' ')).toContain('X509SerialNumber');
    expect(right.code).toBe(200);
  });

  it('refuses a SignedProperties reference without the XAdES Type, or with another one (9105)', async () => {
    // Act
    const missing = await forged({ nip: NIP, keyType: 'EC' }, { signedPropertiesType: null });
    const other = await forged({ nip: NIP, keyType: 'EC' }, { signedPropertiesType: 'http://www.w3.org/2000/09/xmldsig#Object' });
    // Assess
    expect(missing).toMatchObject({ status: 400, code: 9105 });
    expect(other).toMatchObject({ status: 400, code: 9105 });
    expect(missing.details.join(' ')).toContain('Type="http://uri.etsi.org/01903#SignedProperties"');
  });

  it('refuses an unknown certificate-digest method instead of reading it as SHA-256 (9105)', async () => {
    // Act
    const outcome = await forged({ nip: NIP, keyType: 'EC' }, { certDigestMethod: 'http://www.w3.org/2001/04/xmldsig-more#md5' });
    // Assess
    expect(outcome).toMatchObject({ status: 400, code: 9105 });
    expect(outcome.details).toContain('Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.');
  });

  it('refuses a reference without a URI, a detached signature (9105)', async () => {
    // Prepare
    const cert = await createTestCertificate({ nip: NIP, keyType: 'EC', now: clock.now() });
    const signed = signXades(request(await challenge()), await loadSigningIdentity({ kind: 'certificate', ...cert }), clock.now());
    // Act
    const outcome = await submit(signed.replace('<ds:Reference URI="">', '<ds:Reference>'));
    // Assess
    expect(outcome).toMatchObject({ status: 400, code: 9105 });
  });
});
