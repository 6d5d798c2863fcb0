import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

/*
 * A minimal S3-compatible server for the S3DocumentStore tests (no S3 emulator is installable
 * here): path-style PutObject and GetObject with the two behaviours the store relies on, taken
 * from the S3 documentation — `If-None-Match: *` answers 412 PreconditionFailed when the key
 * exists, and `x-amz-checksum-sha256` that does not match the body answers 400 BadDigest.
 */

export interface FakeS3 {
  readonly endpoint: string;
  readonly objects: Map<string, Buffer>;
  /** Headers of every PUT, in order, for asserting what the client sent. */
  readonly puts: { key: string; headers: IncomingMessage['headers'] }[];
  createClient(): S3Client;
  close(): Promise<void>;
}

export async function startFakeS3(): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const puts: FakeS3['puts'] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => sendError(res, 500, 'InternalError', String(error)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.slice(1));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === 'PUT') {
      puts.push({ key, headers: req.headers });
      const checksum = req.headers['x-amz-checksum-sha256'];
      if (typeof checksum === 'string' && checksum !== createHash('sha256').update(body).digest('base64')) {
        return sendError(res, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
      }
      if (req.headers['if-none-match'] === '*' && objects.has(key)) {
        return sendError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      }
      objects.set(key, body);
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return;
    }
    if (req.method === 'GET') {
      const stored = objects.get(key);
      if (!stored) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': stored.length }).end(stored);
      return;
    }
    sendError(res, 405, 'MethodNotAllowed', `${req.method} is not supported by the fake.`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    objects,
    puts,
    createClient() {
      const client = new S3Client({ endpoint, region: 'eu-central-1', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients.splice(0)) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
