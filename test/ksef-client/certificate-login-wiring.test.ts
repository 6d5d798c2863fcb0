import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../functions/adapters/ksef/client/auth/test-certificate.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { awsKsefGateway, KsefSettingsError } from '../../functions/wiring/ksef.js';
import { readLocalCredentials, startLocalKsef } from '../../functions/wiring/ksef-local.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../wiring/helpers/fake-secrets-manager.js';

/*
 * The move from a KSeF token to a certificate, as README's section describes it: certificate files in
 * local mode, PEM in the secret on AWS; a key KSeF would refuse stops the start (or the secret read)
 * naming the setting, before any login.
 */

const NIP = '5265877635';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ksef-credentials-AbCdEf';

describe('certificate credentials in both runtimes', () => {
  const validator = new XmllintXsdValidator();
  let sim: KsefSimulator;
  let secrets: FakeSecretsManager;
  let dir: string;
  let seal: TestCertificate;
  let weak: TestCertificate;

  beforeAll(async () => {
    sim = await createKsefSimulator({ validator, rateLimits: false });
    secrets = await startFakeSecretsManager();
    dir = await mkdtemp(join(tmpdir(), 'ksef-cert-'));
    seal = await createTestCertificate({ nip: NIP, keyType: 'EC' });
    weak = await createTestCertificate({ nip: NIP, keyType: 'RSA', rsaBits: 1024 });
    await writeFile(join(dir, 'seal.pem'), seal.certificatePem);
    await writeFile(join(dir, 'seal.key'), seal.privateKeyPem);
    await writeFile(join(dir, 'weak.pem'), weak.certificatePem);
    await writeFile(join(dir, 'weak.key'), weak.privateKeyPem);
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(weak.privateKeyPem), [forge.pki.certificateFromPem(weak.certificatePem)], 'sekret', { algorithm: 'aes256' });
    await writeFile(join(dir, 'weak.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  });
  afterAll(async () => {
    await sim.close();
    await secrets.close();
    await validator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('local mode logs in with certificate files to a simulator running elsewhere', async () => {
    // Prepare
    const ksef = await startLocalKsef({ KSEF_BASE_URL: sim.url, KSEF_NIP: NIP, KSEF_CERT_PATH: join(dir, 'seal.pem'), KSEF_KEY_PATH: join(dir, 'seal.key') });
    // Act + Assess
    await expect(ksef.gateway.authenticate()).resolves.toBeUndefined();
    await ksef.close();
  });

  it('local mode refuses at start an RSA key under 2048 bits, naming KSEF_KEY_PATH or KSEF_P12_PATH', async () => {
    // Act
    const pem = await readLocalCredentials({ KSEF_CERT_PATH: join(dir, 'weak.pem'), KSEF_KEY_PATH: join(dir, 'weak.key') }).catch((e: unknown) => e);
    const p12 = await readLocalCredentials({ KSEF_P12_PATH: join(dir, 'weak.p12'), KSEF_P12_PASSWORD: 'sekret' }).catch((e: unknown) => e);
    // Assess
    expect(pem).toBeInstanceOf(KsefSettingsError);
    expect((pem as Error).message).toMatch(/^Invalid KSeF configuration: KSEF_KEY_PATH: the key is RSA with 1024 bits; KSeF accepts RSA keys of at least 2048 bits/);
    expect(p12).toBeInstanceOf(KsefSettingsError);
    expect((p12 as Error).message).toMatch(/^Invalid KSeF configuration: KSEF_P12_PATH: the key is RSA with 1024 bits/);
  });

  it('on AWS a certificate in the secret logs in, and an RSA key under 2048 bits fails naming privateKeyPem without quoting the secret', async () => {
    // Prepare
    const env = { KSEF_ENV: 'SIMULATOR', KSEF_BASE_URL: sim.url, KSEF_NIP: NIP, KSEF_SECRET_ARN: SECRET_ARN };
    secrets.secrets.set(SECRET_ARN, JSON.stringify({ certificatePem: seal.certificatePem, privateKeyPem: seal.privateKeyPem }));
    const good = awsKsefGateway({ env, secrets: secrets.createClient() });
    await good.authenticate();
    secrets.secrets.set(SECRET_ARN, JSON.stringify({ certificatePem: weak.certificatePem, privateKeyPem: weak.privateKeyPem }));
    const bad = awsKsefGateway({ env, secrets: secrets.createClient() });
    // Act
    const failure = await bad.authenticate().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // Assess
    expect(failure).toBeInstanceOf(KsefSettingsError);
    expect(failure?.message).toBe(`The KSeF secret ${SECRET_ARN}: privateKeyPem: the key is RSA with 1024 bits; KSeF accepts RSA keys of at least 2048 bits (or EC P-256).`);
    expect(failure?.message).not.toContain('PRIVATE KEY');
  });
});
