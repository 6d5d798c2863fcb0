import { describe, expect, it } from 'vitest';
import { choosePublicKey, PublicKeyStore, type PublicKeyCertificateInfo } from '../../functions/adapters/ksef/client/crypto/public-keys.js';
import { KsefApiError } from '../../functions/ports/ksef-errors.js';
import { createTestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const cert = (id: string, usage: string[], validFrom: string, validTo: string): PublicKeyCertificateInfo => ({ certificate: 'AA==', publicKeyId: id, validFrom, validTo, usage });

async function realCertificate(): Promise<string> {
  const { certificatePem } = await createTestCertificate({ nip: '5265877635', keyType: 'EC' });
  return certificatePem.replace(/-----[^-]+-----|\s/g, '');
}

describe('MF public keys', () => {
  it('the valid certificate with the right usage and the latest validFrom is chosen', () => {
    const list = [
      cert('old', ['SymmetricKeyEncryption'], '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
      cert('new', ['SymmetricKeyEncryption'], '2026-10-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      cert('future', ['SymmetricKeyEncryption'], '2026-12-01T00:00:00Z', '2029-01-01T00:00:00Z'),
      cert('token', ['KsefTokenEncryption'], '2026-11-01T00:00:00Z', '2029-01-01T00:00:00Z'),
    ];
    expect(choosePublicKey(list, 'SymmetricKeyEncryption', now)?.publicKeyId).toBe('new');
    expect(choosePublicKey(list, 'KsefTokenEncryption', now)?.publicKeyId).toBe('token');
  });

  it('a key that starts within the clock-skew allowance is used only when no key is valid now', () => {
    const soon = new Date(now + 60_000).toISOString();
    const current = cert('current', ['SymmetricKeyEncryption'], '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const next = cert('next', ['SymmetricKeyEncryption'], soon, '2029-01-01T00:00:00Z');
    expect(choosePublicKey([current, next], 'SymmetricKeyEncryption', now)?.publicKeyId).toBe('current');
    expect(choosePublicKey([next], 'SymmetricKeyEncryption', now)?.publicKeyId).toBe('next');
  });

  it('nothing is fetched until a key is needed, so a KSeF outage cannot break start-up', async () => {
    let fetches = 0;
    new PublicKeyStore(async () => {
      fetches++;
      throw new Error('KSeF unreachable');
    }, { now: () => now, sleep: async () => undefined }, 60_000);
    expect(fetches).toBe(0);
  });

  it('the list is cached for its time-to-live and fetched again after it', async () => {
    const der = await realCertificate();
    let clock = Date.now();
    let fetches = 0;
    const store = new PublicKeyStore(async () => {
      fetches++;
      return [{ certificate: der, publicKeyId: 'k', validFrom: '2000-01-01T00:00:00Z', validTo: '2100-01-01T00:00:00Z', usage: ['SymmetricKeyEncryption'] }];
    }, { now: () => clock, sleep: async () => undefined }, 60_000);
    await store.get('SymmetricKeyEncryption');
    await store.get('SymmetricKeyEncryption');
    clock += 60_001;
    await store.get('SymmetricKeyEncryption');
    expect(fetches).toBe(2);
  });

  it('a 21470 answer refetches the keys and retries exactly once', async () => {
    const der = await realCertificate();
    let fetches = 0;
    const store = new PublicKeyStore(async () => {
      fetches++;
      return [{ certificate: der, publicKeyId: `k${fetches}`, validFrom: '2000-01-01T00:00:00Z', validTo: '2100-01-01T00:00:00Z', usage: ['SymmetricKeyEncryption'] }];
    }, { now: () => Date.now(), sleep: async () => undefined }, 3_600_000);
    const used: string[] = [];
    const withdrawn = () => new KsefApiError({ status: 400, method: 'POST', path: '/sessions/online', errors: [{ code: 21470, description: 'unknown key', details: [] }] });
    const result = await store.withKey('SymmetricKeyEncryption', async (key) => {
      used.push(key.publicKeyId);
      if (key.publicKeyId === 'k1') throw withdrawn();
      return 'opened';
    });
    expect(result).toBe('opened');
    expect(used).toEqual(['k1', 'k2']);
    await expect(store.withKey('SymmetricKeyEncryption', async () => Promise.reject(withdrawn()))).rejects.toThrow(KsefApiError);
    expect(fetches).toBe(3);
  });
});
