import { request } from 'node:http';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * `fetch` over node:http with a new connection per request (no keep-alive pool), for http:// URLs
 * of the local simulator only.
 *
 * Why: the client packages a 10,000-invoice batch synchronously (≈9 s on a loaded machine), during
 * which the simulator's server closes the idle keep-alive socket (Node's 5 s keepAliveTimeout); the
 * global fetch then writes POST /sessions/batch to the dead socket, gets ECONNRESET and the client
 * rightly calls the outcome unknown. That is a finding for the client (see the bench notes), but it
 * would stop the backlog measurement, so the bench does not pool connections.
 */
export const freshConnectionFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const outgoing: Record<string, string> = { connection: 'close' };
  headers.forEach((value, name) => (outgoing[name] = value));
  const body = await bodyBytes(init?.body ?? (input instanceof Request && input.body ? await input.arrayBuffer() : undefined));
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { ...outgoing, ...(body ? { 'content-length': String(body.byteLength) } : {}) }, agent: false, ...(init?.signal ? { signal: init.signal } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
        });
      },
    );
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    req.end(body);
  });
};

async function bodyBytes(body: unknown): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(await new Response(body as BodyInit).arrayBuffer());
}
