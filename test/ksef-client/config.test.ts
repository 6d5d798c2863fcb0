import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningCredentialsError } from '../../functions/adapters/ksef/client/auth/credentials.js';
import { createTestCertificate, type TestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { ksefConfigFromEnv } from '../../functions/adapters/ksef/client/config-from-env.js';
import { credentialsFromSecret } from '../../functions/adapters/ksef/client/credentials-from-secret.js';
import { KSEF_BASE_URLS, parseKsefEnvironment } from '../../functions/adapters/ksef/client/environment.js';
import { KsefConfigurationError } from '../../functions/ports/ksef-errors.js';

describe('KSeF client configuration', () => {
  let cert: TestCertificate;
  let weak: TestCertificate;
  beforeAll(async () => {
    cert = await createTestCertificate({ nip: '5265877635', keyType: 'EC' });
    weak = await createTestCertificate({ nip: '5265877635', keyType: 'RSA', rsaBits: 1024 });
  });

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
    writeFileSync(join(dir, 'c.pem'), cert.certificatePem);
    writeFileSync(join(dir, 'k.pem'), cert.privateKeyPem);
    const config = await ksefConfigFromEnv({ KSEF_ENV: 'DEMO', KSEF_NIP: '5265877635', KSEF_TOKEN: 'tok', KSEF_CERT_PATH: join(dir, 'c.pem'), KSEF_KEY_PATH: join(dir, 'k.pem') });
    expect(config.credentials).toEqual({ kind: 'certificate', certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem });
    expect(config.environment).toEqual({ name: 'DEMO' });
  });

  it('an invalid NIP or missing credentials are refused', async () => {
    await expect(ksefConfigFromEnv({ KSEF_NIP: '0123456789', KSEF_TOKEN: 't' })).rejects.toThrow();
    await expect(ksefConfigFromEnv({ KSEF_NIP: '5265877635' })).rejects.toThrow(KsefConfigurationError);
  });

  it('the Secrets Manager secret may hold a token or a PEM certificate and key', () => {
    expect(credentialsFromSecret({ token: 't' })).toEqual({ kind: 'token', token: 't' });
    expect(credentialsFromSecret({ certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem })).toEqual({ kind: 'certificate', ...cert });
    expect(credentialsFromSecret({ token: 't', ...cert })).toMatchObject({ kind: 'certificate' });
    expect(() => credentialsFromSecret({ nothing: true })).toThrow(KsefConfigurationError);
  });

  it('an RSA key under 2048 bits is refused when the secret is read, naming privateKeyPem', () => {
    // Act
    const act = () => credentialsFromSecret({ certificatePem: weak.certificatePem, privateKeyPem: weak.privateKeyPem });
    // Assess
    expect(act).toThrow(SigningCredentialsError);
    expect(act).toThrow(/^privateKeyPem: the key is RSA with 1024 bits; KSeF accepts RSA keys of at least 2048 bits/);
  });

  it('an RSA key under 2048 bits, or a key of another certificate, is refused at start naming the variable', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ksef-'));
    writeFileSync(join(dir, 'weak-cert.pem'), weak.certificatePem);
    writeFileSync(join(dir, 'weak-key.pem'), weak.privateKeyPem);
    writeFileSync(join(dir, 'cert.pem'), cert.certificatePem);
    const env = { KSEF_NIP: '5265877635', KSEF_CERT_PATH: join(dir, 'weak-cert.pem'), KSEF_KEY_PATH: join(dir, 'weak-key.pem') };
    // Act
    const weakKey = ksefConfigFromEnv(env);
    const otherKey = ksefConfigFromEnv({ ...env, KSEF_CERT_PATH: join(dir, 'cert.pem') });
    // Assess
    await expect(weakKey).rejects.toThrow(/^KSEF_KEY_PATH: the key is RSA with 1024 bits; KSeF accepts RSA keys of at least 2048 bits/);
    await expect(otherKey).rejects.toThrow('KSEF_KEY_PATH: the private key does not belong to the certificate in KSEF_CERT_PATH');
  });
});
