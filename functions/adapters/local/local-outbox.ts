import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import sesLocal from 'aws-ses-v2-local';

/*
 * The local e-mail outbox: aws-ses-v2-local, an SES v2-compatible server, run in-process on
 * 127.0.0.1. The SesMailer sends to it exactly as it sends to AWS (only the endpoint and dummy
 * credentials differ); a person reads the mail on its web page, tests read it at GET /store.
 * aws-ses-v2-local keeps its mail in module memory: outboxes started in one process share it, and
 * it is gone when the process ends (the sent e-mail log in DynamoDB is the lasting record).
 */

export interface LocalOutboxOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
}

export interface LocalOutbox {
  /** SES API endpoint for the SESv2 client, e.g. `http://127.0.0.1:8005`. */
  readonly endpoint: string;
  /** The page where a person reads the outbox. */
  readonly webUrl: string;
  readonly port: number;
  /** An SES v2 client for this outbox; destroyed by close(). */
  createClient(): SESv2Client;
  close(): Promise<void>;
}

/** A message as the outbox stores it (GET /store). */
export interface OutboxEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  /** Epoch seconds. */
  readonly at: number;
}

const HOST = '127.0.0.1';
const LOCAL_REGION = 'eu-central-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/** The package is CommonJS with an ES default export; Node hands ESM importers the whole exports object. */
function serverFactory(): StartServer {
  const loaded = sesLocal as unknown as StartServer | { default: StartServer };
  return typeof loaded === 'function' ? loaded : loaded.default;
}

export async function startLocalOutbox(options: LocalOutboxOptions = {}): Promise<LocalOutbox> {
  const server = await serverFactory()({ host: HOST, port: options.port ?? 0 });
  if (!server.listening) {
    // express 5 reports a failed listen to the callback and resolves anyway: wait for the error.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new Error(`The local e-mail outbox could not listen on ${HOST}:${options.port ?? 0} (is the port in use?).`);
  }
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${HOST}:${port}`;
  const clients: SESv2Client[] = [];

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    webUrl: `${endpoint}/`,
    port,
    createClient: () => {
      const client = new SESv2Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      clients.push(client);
      return client;
    },
    close: () =>
      (closing ??= (async () => {
        for (const client of clients.splice(0)) client.destroy();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
      })()),
  };
}

/** Every message in the outbox (optionally those since an epoch second), oldest first. */
export async function readOutbox(endpoint: string, options: { since?: number } = {}): Promise<OutboxEmail[]> {
  const url = new URL('/store', endpoint);
  if (options.since !== undefined) url.searchParams.set('since', String(Math.floor(options.since)));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Reading the local outbox failed: HTTP ${response.status}.`);
  const body = (await response.json()) as { emails?: OutboxEmail[] };
  return body.emails ?? [];
}

/** Empties the outbox (POST /clear-store). */
export async function clearOutbox(endpoint: string): Promise<void> {
  const response = await fetch(new URL('/clear-store', endpoint), { method: 'POST' });
  if (!response.ok) throw new Error(`Clearing the local outbox failed: HTTP ${response.status}.`);
}
