import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { KSEF_ENV_VARS } from '../../functions/adapters/ksef/client/config-from-env.js';
import { KSEF_BASE_URLS } from '../../functions/adapters/ksef/client/environment.js';
import { baseUrlOf, DEFAULT_LOCAL_NIP, environmentOf, KSEF_VARS, KsefSettingsError, readKsefSettings } from '../../functions/wiring/ksef.js';
import { readLocalCredentials } from '../../functions/wiring/ksef-local.js';

const NIP = '5265877635';
const local = (env: Record<string, string>) => readKsefSettings(env, { target: 'SIMULATOR', nip: DEFAULT_LOCAL_NIP });
const aws = (env: Record<string, string>) => readKsefSettings(env, { target: 'TEST' });

/** The message of what `act` throws (it must throw a KsefSettingsError). */
function settingsError(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(KsefSettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a KsefSettingsError');
}

async function credentialsError(env: Record<string, string>): Promise<string> {
  const error = await readLocalCredentials(env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KsefSettingsError);
  return (error as Error).message;
}

describe('KSeF configuration from the environment', () => {
  let dir: string;
  let cert: TestCertificate;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ksef-config-'));
    cert = await createTestCertificate({ nip: NIP });
    await writeFile(join(dir, 'cert.pem'), cert.certificatePem);
    await writeFile(join(dir, 'key.pem'), cert.privateKeyPem);
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(cert.privateKeyPem), [forge.pki.certificateFromPem(cert.certificatePem)], 'sekret', { algorithm: 'aes256' });
    await writeFile(join(dir, 'company.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the variable names the KSeF client defines', () => {
    // Act
    const { secretArn, ...names } = KSEF_VARS;
    // Assess
    expect(names).toEqual(KSEF_ENV_VARS);
    expect(secretArn).toBe('KSEF_SECRET_ARN');
  });

  it('local mode without any KSeF variable talks to the simulator for the default NIP', () => {
    // Act
    const settings = local({});
    // Assess
    expect(settings).toEqual({ target: 'SIMULATOR', baseUrl: undefined, nip: DEFAULT_LOCAL_NIP, nipDefaulted: true });
    expect(baseUrlOf(settings)).toBeUndefined();
  });

  it('KSEF_ENV picks TEST, DEMO or PROD with their official addresses, in any letter case', () => {
    // Act
    const test = local({ KSEF_ENV: 'TEST', KSEF_NIP: NIP });
    const demo = local({ KSEF_ENV: 'demo', KSEF_NIP: NIP });
    const prod = aws({ KSEF_ENV: 'Prod', KSEF_NIP: NIP });
    // Assess
    expect([test.target, demo.target, prod.target]).toEqual(['TEST', 'DEMO', 'PROD']);
    expect(environmentOf(demo)).toEqual({ name: 'DEMO' });
    expect([baseUrlOf(test), baseUrlOf(demo), baseUrlOf(prod)]).toEqual([KSEF_BASE_URLS.TEST, KSEF_BASE_URLS.DEMO, KSEF_BASE_URLS.PROD]);
    expect(prod.nipDefaulted).toBe(false);
  });

  it('KSEF_BASE_URL overrides the address, and with SIMULATOR points at a simulator running elsewhere', () => {
    // Act
    const proxied = local({ KSEF_ENV: 'PROD', KSEF_BASE_URL: 'https://ksef-proxy.example.com/v2/', KSEF_NIP: NIP });
    const external = local({ KSEF_ENV: 'SIMULATOR', KSEF_BASE_URL: 'http://127.0.0.1:3001/v2' });
    // Assess
    expect(environmentOf(proxied)).toEqual({ name: 'PROD', baseUrl: 'https://ksef-proxy.example.com/v2' });
    expect(environmentOf(external)).toEqual({ name: 'LOCAL', baseUrl: 'http://127.0.0.1:3001/v2' });
  });

  it('on AWS the default is TEST and KSEF_NIP is required', () => {
    // Act
    const message = settingsError(() => aws({}));
    const settings = aws({ KSEF_NIP: NIP });
    // Assess
    expect(message).toContain('KSEF_NIP: not set');
    expect(settings.target).toBe('TEST');
  });

  it('an unknown KSEF_ENV, a bad KSEF_NIP and a bad KSEF_BASE_URL are each refused by name, all at once', () => {
    // Act
    const message = settingsError(() => local({ KSEF_ENV: 'STAGING', KSEF_NIP: '123', KSEF_BASE_URL: 'ftp://files.example.com' }));
    // Assess
    expect(message).toContain("KSEF_ENV: 'STAGING' is not one of SIMULATOR, TEST, DEMO, PROD");
    expect(message).toContain("KSEF_NIP: '123' must be 10 digits");
    expect(message).toContain("KSEF_BASE_URL: 'ftp://files.example.com' is not an http(s) URL");
  });

  it('a KSEF_NIP with a wrong check digit is refused', () => {
    // Act
    const message = settingsError(() => aws({ KSEF_NIP: '5265877636' }));
    // Assess
    expect(message).toContain("KSEF_NIP: '5265877636' has a wrong check digit");
  });

  it('no credential variable means no credentials (the simulator brings its own)', async () => {
    // Act
    const credentials = await readLocalCredentials({});
    // Assess
    expect(credentials).toBeUndefined();
  });

  it('KSEF_TOKEN, a PEM certificate and key, or a PKCS#12 file become credentials', async () => {
    // Act
    const token = await readLocalCredentials({ KSEF_TOKEN: 'ref|nip-5265877635|abc' });
    const pem = await readLocalCredentials({ KSEF_CERT_PATH: join(dir, 'cert.pem'), KSEF_KEY_PATH: join(dir, 'key.pem') });
    const p12 = await readLocalCredentials({ KSEF_P12_PATH: join(dir, 'company.p12'), KSEF_P12_PASSWORD: 'sekret' });
    // Assess
    expect(token).toEqual({ kind: 'token', token: 'ref|nip-5265877635|abc' });
    expect(pem).toEqual({ kind: 'certificate', certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem });
    expect(p12?.kind).toBe('certificate');
  });

  it('half a certificate, a missing file, a wrong PKCS#12 password and two ways at once are refused by name', async () => {
    // Act
    const noKey = await credentialsError({ KSEF_CERT_PATH: join(dir, 'cert.pem') });
    const missing = await credentialsError({ KSEF_CERT_PATH: join(dir, 'nope.pem'), KSEF_KEY_PATH: join(dir, 'key.pem') });
    const swapped = await credentialsError({ KSEF_CERT_PATH: join(dir, 'key.pem'), KSEF_KEY_PATH: join(dir, 'cert.pem') });
    const wrongPassword = await credentialsError({ KSEF_P12_PATH: join(dir, 'company.p12'), KSEF_P12_PASSWORD: 'guess-42' });
    const orphanPassword = await credentialsError({ KSEF_P12_PASSWORD: 'sekret' });
    const two = await credentialsError({ KSEF_TOKEN: 't', KSEF_P12_PATH: join(dir, 'company.p12') });
    // Assess
    expect(noKey).toContain('KSEF_CERT_PATH is set but KSEF_KEY_PATH is not');
    expect(missing).toContain(`KSEF_CERT_PATH: cannot read '${join(dir, 'nope.pem')}' (ENOENT)`);
    expect(swapped).toContain('KSEF_CERT_PATH');
    expect(swapped).toContain('is not a PEM certificate');
    expect(wrongPassword).toContain('KSEF_P12_PATH');
    expect(wrongPassword).toContain('KSEF_P12_PASSWORD');
    expect(wrongPassword).not.toContain('guess-42');
    expect(orphanPassword).toContain('KSEF_P12_PASSWORD is set but KSEF_P12_PATH is not');
    expect(two).toContain('set only one of KSEF_TOKEN, KSEF_P12_PATH');
  });
});
