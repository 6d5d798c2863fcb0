import { describe, expect, it } from 'vitest';
import { aesDecrypt, generateSymmetricKey, sha256Base64 } from '../../functions/adapters/ksef/client/crypto/primitives.js';
import { buildBatchPackage } from '../../functions/adapters/ksef/client/sessions/batch-package.js';
import { unpackArchive } from '../../functions/adapters/ksef/client/invoices/unpack.js';

const invoices = Array.from({ length: 30 }, (_, i) => ({ fileName: `FV-${i + 1}.xml`, xml: `<Faktura><P_2>FV/${i + 1}</P_2>${'x'.repeat(200 + i)}</Faktura>` }));

describe('batch packages', () => {
  for (const compression of ['Zip', 'TarGz'] as const) {
    it(`a ${compression} package split into parts decrypts, joins and unpacks to the original invoices`, () => {
      // Prepare
      const secret = generateSymmetricKey();
      // Act
      const pkg = buildBatchPackage(invoices, secret, compression, 300);
      // Assess
      expect(pkg.parts.length).toBeGreaterThan(1);
      const joined = Buffer.concat(pkg.parts.map((p) => {
        expect(p.fileSize).toBe(p.content.byteLength);
        expect(p.fileHash).toBe(sha256Base64(p.content));
        return aesDecrypt(secret, p.content);
      }));
      expect(joined.byteLength).toBe(pkg.fileSize);
      expect(sha256Base64(joined)).toBe(pkg.fileHash);
      const files = unpackArchive(joined);
      expect(Object.keys(files).sort()).toEqual(invoices.map((i) => i.fileName).sort());
      expect(Buffer.from(files['FV-7.xml'] ?? []).toString('utf8')).toBe(invoices[6]?.xml);
      expect(pkg.invoiceHashes['FV-7.xml']).toBe(sha256Base64(invoices[6]?.xml ?? ''));
    });
  }

  it('a package needing more than 50 parts is refused before anything is sent', () => {
    expect(() => buildBatchPackage(invoices, generateSymmetricKey(), 'Zip', 10)).toThrow(/50/);
  });

  it('two invoices with one file name are refused', () => {
    expect(() => buildBatchPackage([invoices[0]!, invoices[0]!], generateSymmetricKey())).toThrow(/duplicate/);
  });
});
