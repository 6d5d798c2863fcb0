import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKsefGateway } from '../../functions/adapters/ksef/client/http-ksef-gateway.js';
import { createKsefSimulator, type KsefSimulator } from '../../functions/ksef-sim/simulator.js';
import { VirtualTime } from '../code-units/outgoing/outgoing-harness.js';
import { sampleInvoice } from './helpers/sample-invoice.js';

const NIP = '5265877635';
const NO_DELAYS = { authMs: 0, acceptMs: 0, processingMs: 0, permanentStorageMs: 0, sessionCloseMs: 0, exportMs: 0 };
const time = new VirtualTime();
let sim: KsefSimulator;
let proxy: Server;
const open = new Set<Socket>();

/**
 * A TCP hop in front of the simulator that can drop every connection at once, as a server or load
 * balancer closes idle keep-alive connections.
 */
function dropAllConnections(): void {
  for (const socket of open) socket.destroy();
  open.clear();
}

beforeAll(async () => {
  sim = await createKsefSimulator({ clock: time.clock, delays: NO_DELAYS, rateLimits: false });
  const target = new URL(sim.url);
  proxy = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client);
    client.on('close', () => {
      open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  dropAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await sim.close();
});

describe('the KSeF client and connections closed while a batch package is built', () => {
  it('a keep-alive connection the server closed while the package was being built is not used for the open: the batch goes through', async () => {
    // Prepare: a logged-in client with warm keep-alive connections through the proxy.
    const address = proxy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new HttpKsefGateway({
      environment: { name: 'LOCAL', baseUrl: `http://127.0.0.1:${port}${new URL(sim.url).pathname}` },
      nip: NIP,
      credentials: { kind: 'token', token: sim.registerKsefToken({ nip: NIP }) },
      timer: time.timer,
      onWarning: () => undefined,
    });
    await client.sendBatch([{ fileName: 'warm.xml', xml: sampleInvoice(NIP, 'STALE/1', time.clock.now()) }]);
    // Act: the connections drop in the first turn of the event loop after the (synchronous) build.
    setImmediate(dropAllConnections);
    const sent = await client.sendBatch([{ fileName: 'after-drop.xml', xml: sampleInvoice(NIP, 'STALE/2', time.clock.now()) }]);
    await sim.settle();
    // Assess
    const [result] = await client.listSessionInvoices(sent.sessionReferenceNumber);
    expect(result).toMatchObject({ status: { code: 200 }, invoiceFileName: 'after-drop.xml' });
  });
});
