import type { SimContext } from './context.js';
import { sha256Base64 } from './crypto/symmetric.js';
import { checkPresigned } from './http/presign.js';
import type { Router } from './http/router.js';
import { json, type SimRequest, type SimResponse } from './http/types.js';
import { invoiceUpoXml, sessionUpoXml, xmlResponse } from './sessions/status-routes.js';

/** The simulator's "blob storage": pre-signed URLs only, no access token, no rate limits. */
export function registerBlobRoutes(router: Router, ctx: SimContext): void {
  const guard = (req: SimRequest): SimResponse | null => {
    const verdict = checkPresigned(ctx, req.path, req.query);
    if (verdict === 'ok') return null;
    return { status: 403, body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${verdict === 'expired' ? 'AuthenticationFailed' : 'AuthorizationFailure'}</Code></Error>`, headers: { 'content-type': 'application/xml' } };
  };

  router.add('PUT', '/_blob/batch/{session}/{ordinal}', (req) => {
    const denied = guard(req);
    if (denied) return denied;
    const part = ctx.state.sessions.get(req.params.session ?? '')?.batch?.parts.find((p) => p.ordinalNumber === Number(req.params.ordinal));
    if (!part) return json(404, { error: 'Nie ma takiej części.' });
    if (req.body.length !== part.fileSize || sha256Base64(req.body) !== part.fileHash) {
      return { status: 400, body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidPart</Code><Message>Rozmiar lub skrót części nie zgadza się z zadeklarowanym.</Message></Error>', headers: { 'content-type': 'application/xml' } };
    }
    part.uploaded = req.body;
    return { status: 201 };
  });

  router.add('GET', '/_blob/upo/{session}/invoice/{file}', (req) => {
    const denied = guard(req);
    if (denied) return denied;
    const session = ctx.state.sessions.get(req.params.session ?? '');
    const xml = session ? invoiceUpoXml(ctx, session, session.invoicesByReference.get((req.params.file ?? '').replace(/\.xml$/, ''))) : null;
    return xml ? xmlResponse(xml) : json(404, { error: 'Nie ma UPO.' });
  });

  router.add('GET', '/_blob/upo/{session}/session/{file}', (req) => {
    const denied = guard(req);
    if (denied) return denied;
    const session = ctx.state.sessions.get(req.params.session ?? '');
    const xml = session ? sessionUpoXml(ctx, session, (req.params.file ?? '').replace(/\.xml$/, '')) : null;
    return xml ? xmlResponse(xml) : json(404, { error: 'Nie ma UPO.' });
  });

  router.add('GET', '/_blob/export/{reference}/{ordinal}', (req) => {
    const denied = guard(req);
    if (denied) return denied;
    const part = ctx.state.exports.get(req.params.reference ?? '')?.result?.package?.parts.find((p) => p.ordinalNumber === Number(req.params.ordinal));
    if (!part) return json(404, { error: 'Nie ma takiej części.' });
    return { status: 200, body: part.encrypted, headers: { 'content-type': 'application/octet-stream' } };
  });
}
