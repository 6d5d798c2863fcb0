import { PUBLIC_LIMIT, type RateLimitGroup, type RateLimitTable, type RateLimitValues } from './limits.js';

const PUBLIC_PATHS = /^\/(auth\/challenge|auth\/ksef-token|auth\/xades-signature|security\/public-key-certificates|auth\/token\/(redeem|refresh)|testdata\/(subject|person|permissions|attachment)(\/.*)?)$/;

/** Which counter and limits a request uses (README §9); `other` endpoints each count on their own. */
export function limitFor(method: string, path: string, table: RateLimitTable): { counter: string; limits: RateLimitValues } {
  if (PUBLIC_PATHS.test(path) || (method === 'GET' && /^\/auth\/[^/]+$/.test(path) && path !== '/auth/sessions')) {
    return { counter: 'public', limits: PUBLIC_LIMIT };
  }
  const group = groupOf(method, path);
  if (group === 'other') return { counter: `other:${method} ${path.replace(/\/[^/]*\d[^/]*/g, '/{}')}`, limits: table.other };
  return { counter: group, limits: table[group] };
}

function groupOf(method: string, path: string): RateLimitGroup {
  if (method === 'POST' && /^\/sessions\/online(\/[^/]+\/close)?$/.test(path)) return 'onlineSession';
  if (method === 'POST' && /^\/sessions\/online\/[^/]+\/invoices$/.test(path)) return 'invoiceSend';
  if (method === 'POST' && /^\/sessions\/batch(\/[^/]+\/close)?$/.test(path)) return 'batchSession';
  if (method === 'GET' && path === '/sessions') return 'sessionList';
  if (method === 'GET' && /^\/sessions\/[^/]+\/invoices(\/failed)?$/.test(path)) return 'sessionInvoiceList';
  if (method === 'GET' && /^\/sessions\/[^/]+\/invoices\/[^/]+$/.test(path)) return 'invoiceStatus';
  if (method === 'GET' && path.startsWith('/sessions/')) return 'sessionMisc';
  if (method === 'POST' && path === '/invoices/query/metadata') return 'invoiceMetadata';
  if (method === 'POST' && path === '/invoices/exports') return 'invoiceExport';
  if (method === 'GET' && path.startsWith('/invoices/exports/')) return 'invoiceExportStatus';
  if (method === 'GET' && path.startsWith('/invoices/ksef/')) return 'invoiceDownload';
  return 'other';
}
