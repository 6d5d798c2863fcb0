import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startLocalApiServer } from '../../functions/adapters/local/http-server.js';
import { ConfigurationError, listenFailureMessage, readLocalConfig } from '../../functions/wiring/local-config.js';

/*
 * What `npm start` says about a bad environment: each bad variable by its name, with what it must
 * be and what was given; a port it cannot listen on in one line naming the variable.
 */

function configError(env: NodeJS.ProcessEnv): string {
  try {
    readLocalConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('readLocalConfig accepted a bad configuration');
}

describe('local configuration messages', () => {
  test.each([
    [{ PORT: 'abc' }, "PORT must be a whole number from 0 to 65535 (0 picks a free port), got 'abc'"],
    [{ PORT: '65536' }, "PORT must be a whole number from 0 to 65535 (0 picks a free port), got '65536'"],
    [{ PORT: '3000.5' }, "PORT must be a whole number from 0 to 65535 (0 picks a free port), got '3000.5'"],
    [{ OUTBOX_PORT: '-1' }, "OUTBOX_PORT must be a whole number from 0 to 65535 (0 picks a free port), got '-1'"],
    [{ LOG_LEVEL: 'verbose' }, "LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR, got 'verbose'"],
    [{ HOST: 'local host' }, "HOST must be an interface address or host name such as 127.0.0.1 or ::1, got 'local host'"],
    [{ KSEF_NIP: '1234567890' }, "KSEF_NIP '1234567890' has a wrong check digit; it must be the company's NIP"],
  ])('%j is refused with its name, what it must be and what was given', (env, message) => {
    // Act
    const text = configError(env);

    // Assess
    expect(text).toBe(`Invalid configuration: ${message}.`);
    expect(text).not.toMatch(/Invalid input|expected number|NaN/);
  });

  test('a short API_TOKEN is refused by name without echoing the token', () => {
    // Act
    const text = configError({ API_TOKEN: 'secret-12345' });

    // Assess
    expect(text).toBe('Invalid configuration: API_TOKEN must be at least 16 characters, got 12; leave it unset to have one generated.');
    expect(text).not.toContain('secret-12345');
  });

  test('several bad variables are listed one per line', () => {
    // Act
    const text = configError({ PORT: 'x', LOG_LEVEL: 'y' });

    // Assess
    expect(text.split('\n')).toEqual([
      'Invalid configuration:',
      "  PORT must be a whole number from 0 to 65535 (0 picks a free port), got 'x'.",
      "  LOG_LEVEL must be one of DEBUG, INFO, WARN, ERROR, got 'y'.",
    ]);
  });

  test('an empty variable counts as not set', () => {
    // Act
    const config = readLocalConfig({ PORT: '', LOG_LEVEL: ' ', HOST: '' });

    // Assess
    expect(config).toMatchObject({ port: 3000, logLevel: 'INFO', host: '127.0.0.1' });
  });
});

describe('the line npm start prints when it cannot listen', () => {
  let busy: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => busy?.close(resolve) ?? resolve(undefined));
    busy = undefined;
  });

  async function busyPort(): Promise<number> {
    busy = createServer();
    await new Promise<void>((resolve) => busy?.listen(0, '127.0.0.1', resolve));
    return (busy.address() as { port: number }).port;
  }

  async function listenError(port: number): Promise<unknown> {
    return startLocalApiServer({ handler: async () => ({ statusCode: 200 }), token: 'local-runtime-test-token-0123456789', host: '127.0.0.1', port }).then(
      async (server) => {
        await server.close();
        throw new Error(`port ${port} was free`);
      },
      (error: unknown) => error,
    );
  }

  test('a busy PORT is named in one line that says how to choose another', async () => {
    // Prepare
    const port = await busyPort();
    const error = await listenError(port);

    // Act
    const line = listenFailureMessage(error, readLocalConfig({ PORT: String(port) }), {});

    // Assess
    expect(line).toBe(`PORT ${port} is already in use on 127.0.0.1 (another npm start, or another program); set PORT to a free port, or PORT=0 to pick one.`);
  });

  test('a busy OUTBOX_PORT is named as OUTBOX_PORT', async () => {
    // Prepare
    const port = await busyPort();
    const error = await listenError(port);

    // Act
    const line = listenFailureMessage(error, readLocalConfig({ PORT: '0' }), { OUTBOX_PORT: String(port) });

    // Assess
    expect(line).toMatch(new RegExp(`^OUTBOX_PORT ${port} is already in use on 127\\.0\\.0\\.1 .*set OUTBOX_PORT to a free port`));
  });

  test('an error that is not about listening gets no line of its own', () => {
    // Act
    const line = listenFailureMessage(new Error('disk full'), readLocalConfig({}), {});

    // Assess
    expect(line).toBeNull();
  });
});
