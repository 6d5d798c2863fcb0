import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { awsKsefGateway, DEFAULT_LOCAL_NIP, KsefSettingsError } from '../../functions/wiring/ksef.js';
import { startLocalKsef } from '../../functions/wiring/ksef-local.js';
import { startFakeSecretsManager, type FakeSecretsManager } from './helpers/fake-secrets-manager.js';

const NIP = '1112223332';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ksef-credentials-AbCdEf';
const validator = new XmllintXsdValidator();
let sim: KsefSimulator;
let secrets: FakeSecretsManager;

beforeAll(async () => {
  sim = await createKsefSimulator({ validator, rateLimits: false });
  secrets = await startFakeSecretsManager();
});

afterAll(async () => {
  await sim.close();
  await secrets.close();
  await validator.close();
});

const awsEnv = { KSEF_ENV: 'SIMULATOR', KSEF_BASE_URL: '', KSEF_NIP: NIP, KSEF_SECRET_ARN: SECRET_ARN };

describe('the KSeF gateway each runtime builds', () => {
  it('local mode by default starts the simulator and logs in to it for the default NIP out of the box', async () => {
    // Prepare
    const ksef = await startLocalKsef({}, { simulator: { validator } });
    try {
      // Act
      await ksef.gateway.authenticate();
      // Assess
      expect(ksef.simulator?.url).toBe(ksef.url);
      expect(ksef.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      expect(ksef.gateway.contextNip).toBe(DEFAULT_LOCAL_NIP);
    } finally {
      await ksef.close();
    }
  });

  it('with KSEF_ENV=SIMULATOR and KSEF_BASE_URL local mode uses a simulator running elsewhere with KSEF_TOKEN', async () => {
    // Prepare
    const token = sim.registerKsefToken({ nip: NIP });
    const ksef = await startLocalKsef({ KSEF_ENV: 'SIMULATOR', KSEF_BASE_URL: sim.url, KSEF_NIP: NIP, KSEF_TOKEN: token });
    // Act
    await ksef.gateway.authenticate();
    // Assess
    expect(ksef.simulator).toBeUndefined();
    expect(ksef.url).toBe(sim.url);
    await ksef.close();
  });

  it('the real KSeF without credentials is refused before anything starts, naming the variables to set', async () => {
    // Act
    const failure = startLocalKsef({ KSEF_ENV: 'DEMO', KSEF_NIP: NIP });
    // Assess
    await expect(failure).rejects.toBeInstanceOf(KsefSettingsError);
    await expect(failure).rejects.toThrow(/KSEF_ENV=DEMO needs credentials: set KSEF_TOKEN, or KSEF_CERT_PATH \+ KSEF_KEY_PATH, or KSEF_P12_PATH/);
  });

  it('on AWS the credentials come from the Secrets Manager secret, read once per container', async () => {
    // Prepare
    secrets.secrets.set(SECRET_ARN, JSON.stringify({ token: sim.registerKsefToken({ nip: NIP }) }));
    secrets.reads.length = 0;
    const gateway = awsKsefGateway({ env: { ...awsEnv, KSEF_BASE_URL: sim.url }, secrets: secrets.createClient() });
    // Act
    await gateway.authenticate();
    const found = await gateway.queryInvoiceMetadata({ subjectType: 'Subject2', dateType: 'Invoicing', from: new Date(Date.now() - 86_400_000).toISOString() });
    await gateway.authenticate();
    // Assess
    expect(found).toEqual([]);
    expect(gateway.contextNip).toBe(NIP);
    expect(secrets.reads).toEqual([SECRET_ARN]);
  });

  it('a secret that is not JSON fails naming the secret but not quoting it, and a corrected secret is read on the next call', async () => {
    // Prepare
    secrets.secrets.set(SECRET_ARN, 'token=super-secret-value');
    const gateway = awsKsefGateway({ env: { ...awsEnv, KSEF_BASE_URL: sim.url }, secrets: secrets.createClient() });
    // Act
    const failure = await gateway.authenticate().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    secrets.secrets.set(SECRET_ARN, JSON.stringify({ token: sim.registerKsefToken({ nip: NIP }) }));
    const retried = gateway.authenticate();
    // Assess
    expect(failure).toBeInstanceOf(KsefSettingsError);
    expect(failure?.message).toContain(SECRET_ARN);
    expect(failure?.message).not.toContain('super-secret-value');
    expect(JSON.stringify(failure?.cause ?? null)).not.toContain('super-secret-value');
    await expect(retried).resolves.toBeUndefined();
  });

  it('on AWS a missing or malformed KSEF_SECRET_ARN is refused at start, by name', () => {
    // Act
    const missing = () => awsKsefGateway({ env: { KSEF_NIP: NIP }, secrets: secrets.createClient() });
    const malformed = () => awsKsefGateway({ env: { KSEF_NIP: NIP, KSEF_SECRET_ARN: 'ksef-credentials' }, secrets: secrets.createClient() });
    // Assess
    expect(missing).toThrow('KSEF_SECRET_ARN: not set');
    expect(malformed).toThrow("KSEF_SECRET_ARN: 'ksef-credentials' is not a Secrets Manager ARN");
  });
});
