import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ksefConfigFromEnv } from '../../functions/adapters/ksef/client/config-from-env.js';
import { credentialsFromSecret } from '../../functions/adapters/ksef/client/credentials-from-secret.js';
import { KSEF_BASE_URLS, parseKsefEnvironment } from '../../functions/adapters/ksef/client/environment.js';
import { KsefConfigurationError } from '../../functions/ports/ksef-errors.js';

describe('KSeF client configuration', () => {
  it('named environments resolve to the official 2.0 hosts', () => {
    expect(parseKsefEnvironment({ name: 'TEST' }).baseUrl).toBe('https://api-test.ksef.mf.gov.pl/v2');
    expect(parseKsefEnvironment({ name: 'DEMO' }).baseUrl).toBe(KSEF_BASE_URLS.DEMO);
    expect(parseKsefEnvironment({ name: 'PROD' }).baseUrl).toBe('https://api.ksef.mf.gov.pl/v2');
  });

  it('any base URL can be given, e.g. the simulator, without a trailing slash', () => {
    expect(parseKsefEnvironment({ name: 'LOCAL', baseUrl: 'http://127.0.0.1:3001/v2/' }).baseUrl).toBe('http://127.0.0.1:3001/v2');
  });

  it('a custom environment without a base URL is refused naming the field', () => {
    expect(() => parseKsefEnvironment({ name: 'CUSTOM' })).toThrow(/baseUrl/);
  });

  it('variables select the simulator and a token', async () => {
    const config = await ksefConfigFromEnv({ KSEF_BASE_URL: 'http://127.0.0.1:3001/v2', KSEF_NIP: '5265877635', KSEF_TOKEN: 'tok' });
    expect(config).toEqual({ environment: { name: 'CUSTOM', baseUrl: 'http://127.0.0.1:3001/v2' }, nip: '5265877635', credentials: { kind: 'token', token: 'tok' } });
  });

  it('certificate files win over a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksef-'));
    writeFileSync(join(dir, 'c.pem'), 'CERT');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    const config = await ksefConfigFromEnv({ KSEF_ENV: 'DEMO', KSEF_NIP: '5265877635', KSEF_TOKEN: 'tok', KSEF_CERT_PATH: join(dir, 'c.pem'), KSEF_KEY_PATH: join(dir, 'k.pem') });
    expect(config.credentials).toEqual({ kind: 'certificate', certificatePem: 'CERT', privateKeyPem: 'KEY' });
    expect(config.environment).toEqual({ name: 'DEMO' });
  });

  it('an invalid NIP or missing credentials are refused', async () => {
    await expect(ksefConfigFromEnv({ KSEF_NIP: '0123456789', KSEF_TOKEN: 't' })).rejects.toThrow();
    await expect(ksefConfigFromEnv({ KSEF_NIP: '5265877635' })).rejects.toThrow(KsefConfigurationError);
  });

  it('the Secrets Manager secret may hold a token or a PEM certificate and key', () => {
    expect(credentialsFromSecret({ token: 't' })).toEqual({ kind: 'token', token: 't' });
    expect(credentialsFromSecret({ certificatePem: 'C', privateKeyPem: 'K' })).toEqual({ kind: 'certificate', certificatePem: 'C', privateKeyPem: 'K' });
    expect(credentialsFromSecret({ token: 't', certificatePem: 'C', privateKeyPem: 'K' })).toMatchObject({ kind: 'certificate' });
    expect(() => credentialsFromSecret({ nothing: true })).toThrow(KsefConfigurationError);
  });
});
