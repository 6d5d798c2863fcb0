import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issuerName } from '../../functions/adapters/ksef/client/auth/issuer-name.js';
import { createTestCertificate, nameValue, type TestName } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { certificateNames, dnStringMatches, parseDn } from '../../functions/ksef-sim/crypto/distinguished-name.js';

/*
 * The client writes X509IssuerName from the certificate's DER (client/auth/issuer-name.ts); each case
 * is read back with an independent pair: the simulator's RFC 4514 parser for the string, and
 * @peculiar/asn1-x509 for the certificate's issuer.
 */

const utf8 = (text: string) => ({ utf8String: text });

async function certificateIssuedBy(issuer: TestName): Promise<X509Certificate> {
  return new X509Certificate((await createTestCertificate({ nip: '5265877635', keyType: 'EC', issuerName: issuer })).certificatePem);
}

const CASES: readonly { readonly what: string; readonly issuer: TestName; readonly expected: string }[] = [
  { what: 'a comma in the company name', issuer: [{ C: [nameValue('PL')] }, { O: [utf8('Kowalski, Nowak i Wspólnicy sp.k.')] }], expected: 'O=Kowalski\\, Nowak i Wspólnicy sp.k.,C=PL' },
  { what: 'each of , + " \\ < > ;', issuer: [{ CN: [utf8('a,b+c"d\\e<f>g;h')] }], expected: 'CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h' },
  { what: 'a leading and a trailing space', issuer: [{ CN: [utf8(' CA ')] }], expected: 'CN=\\ CA\\20' },
  { what: 'a leading # (and one further on)', issuer: [{ CN: [utf8('#1 CA #2')] }], expected: 'CN=\\#1 CA #2' },
  { what: 'a value of one space', issuer: [{ OU: [utf8(' ')] }], expected: 'OU=\\ ' },
  { what: 'Polish letters in UTF8String and BMPString', issuer: [{ O: [utf8('Zakład Łódź')] }, { CN: [{ bmpString: 'Wspólnicy Żółć' }] }], expected: 'CN=Wspólnicy Żółć,O=Zakład Łódź' },
  { what: 'a multi-valued RDN', issuer: [{ C: [nameValue('PL')] }, { O: [utf8('Firma')], OU: [utf8('IT+Księgowość')] }], expected: 'O=Firma+OU=IT\\+Księgowość,C=PL' },
  { what: 'an attribute RFC 4514 has no name for, as OID and BER', issuer: [{ '2.5.4.97': [nameValue('VATPL-5265877635')] }, { CN: [nameValue('CA')] }], expected: 'CN=CA,2.5.4.97=#1310564154504c2d35323635383737363335' },
  { what: 'a control character', issuer: [{ CN: [utf8('line\nbreak')] }], expected: 'CN=line\\0Abreak' },
];

describe('X509IssuerName in RFC 4514 form', () => {
  for (const { what, issuer, expected } of CASES) {
    it(`writes ${what} as RFC 4514 does, and it reads back as the certificate's issuer`, async () => {
      // Prepare
      const certificate = await certificateIssuedBy(issuer);
      // Act
      const name = issuerName(certificate);
      // Assess
      expect(name).toBe(expected);
      expect(dnStringMatches(name, certificateNames(certificate.raw).issuer)).toBe(true);
    });
  }

  it('reads back as the issuer for 40 random names of special characters, spaces, Polish letters and multi-valued RDNs', async () => {
    // Prepare: a seeded generator, so a failure can be replayed.
    let seed = 20261125;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = Array.from('aZ09 ,+"\\<>;#=ąęółśżźćńĄŁŻ.-\t');
    const types = ['CN', 'O', 'OU', 'L', 'ST', '2.5.4.97', '2.5.4.5', '2.5.4.4', '2.5.4.42'];
    const value = () => Array.from({ length: 1 + random(10) }, () => alphabet[random(alphabet.length)]).join('');
    const names: TestName[] = Array.from({ length: 40 }, () =>
      Array.from({ length: 1 + random(4) }, () => Object.fromEntries(Array.from({ length: 1 + random(2) }, (_, i) => [types[(random(types.length) + i) % types.length], [random(3) === 0 ? { bmpString: value() } : utf8(value())]]))),
    );
    // Act
    const results = await Promise.all(
      names.map(async (issuer) => {
        const certificate = await certificateIssuedBy(issuer);
        const name = issuerName(certificate);
        return { name, matches: dnStringMatches(name, certificateNames(certificate.raw).issuer) };
      }),
    );
    // Assess
    expect(results.filter((r) => !r.matches)).toEqual([]);
  });

  it('the name read back differs from a name escaped twice, as the old X509IssuerName was', async () => {
    // Prepare
    const certificate = await certificateIssuedBy([{ O: [utf8('Kowalski, Nowak i Wspólnicy sp.k.')] }]);
    const issuer = certificateNames(certificate.raw).issuer;
    // Act + Assess
    expect(dnStringMatches('O=Kowalski\\, Nowak i Wspólnicy sp.k.', issuer)).toBe(true);
    expect(dnStringMatches('O=Kowalski\\\\, Nowak i Wspólnicy sp.k.', issuer)).toBe(false);
    // Escaped twice, the backslash is the escaped one and the comma ends the RDN: not a name at all.
    expect(parseDn('O=Kowalski\\\\, Nowak i Wspólnicy sp.k.')).toBeNull();
  });
});
