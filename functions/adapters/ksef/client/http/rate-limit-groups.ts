/** The limit groups of `GET /rate-limits` (README §9), plus `public` for the per-IP-only endpoints. */
export const RATE_LIMIT_GROUPS = [
  'onlineSession',
  'batchSession',
  'invoiceSend',
  'invoiceStatus',
  'sessionList',
  'sessionInvoiceList',
  'sessionMisc',
  'invoiceMetadata',
  'invoiceExport',
  'invoiceExportStatus',
  'invoiceDownload',
  'other',
] as const;

export type ApiRateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];
export type RateLimitGroup = ApiRateLimitGroup | 'public' | 'unlimited';

export interface RateLimitValues {
  readonly perSecond: number;
  readonly perMinute: number;
  readonly perHour: number;
}

/** Production values (README §9 / OpenAPI `x-rate-limits`); replaced by `GET /rate-limits` once read. */
export const DEFAULT_RATE_LIMITS: Record<ApiRateLimitGroup | 'public', RateLimitValues> = {
  onlineSession: { perSecond: 10, perMinute: 30, perHour: 120 },
  batchSession: { perSecond: 10, perMinute: 20, perHour: 60 },
  invoiceSend: { perSecond: 10, perMinute: 30, perHour: 180 },
  invoiceStatus: { perSecond: 30, perMinute: 120, perHour: 1200 },
  sessionList: { perSecond: 5, perMinute: 10, perHour: 60 },
  sessionInvoiceList: { perSecond: 10, perMinute: 20, perHour: 200 },
  sessionMisc: { perSecond: 10, perMinute: 120, perHour: 1200 },
  invoiceMetadata: { perSecond: 8, perMinute: 16, perHour: 20 },
  invoiceExport: { perSecond: 8, perMinute: 16, perHour: 20 },
  invoiceExportStatus: { perSecond: 10, perMinute: 60, perHour: 600 },
  invoiceDownload: { perSecond: 8, perMinute: 16, perHour: 64 },
  other: { perSecond: 10, perMinute: 30, perHour: 120 },
  public: { perSecond: 60, perMinute: Number.POSITIVE_INFINITY, perHour: Number.POSITIVE_INFINITY },
};

const PUBLIC_PATHS = [/^\/auth\/challenge$/, /^\/auth\/ksef-token$/, /^\/auth\/xades-signature$/, /^\/security\/public-key-certificates$/, /^\/auth\/token\/(redeem|refresh)$/, /^\/testdata\//];

/**
 * The budget a request draws from, and the counter key. Endpoints without a named group each have
 * their own `other` counter (README §9), so the key includes the path template.
 */
export function rateLimitKey(method: string, path: string): { group: RateLimitGroup; key: string } {
  const m = method.toUpperCase();
  if (PUBLIC_PATHS.some((p) => p.test(path))) return { group: 'public', key: 'public' };
  if (/^\/auth\/[^/]+$/.test(path) && m === 'GET' && path !== '/auth/sessions') return { group: 'public', key: 'public' };
  const named = namedGroup(m, path);
  if (named) return { group: named, key: named };
  const template = path.replace(/\/\d{8}-[A-Z]{2}-[0-9A-F-]+/g, '/{ref}');
  return { group: 'other', key: `other ${m} ${template}` };
}

function namedGroup(m: string, path: string): ApiRateLimitGroup | undefined {
  if (m === 'POST') {
    if (/^\/sessions\/online(\/[^/]+\/close)?$/.test(path)) return 'onlineSession';
    if (/^\/sessions\/online\/[^/]+\/invoices$/.test(path)) return 'invoiceSend';
    if (/^\/sessions\/batch(\/[^/]+\/close)?$/.test(path)) return 'batchSession';
    if (path === '/invoices/query/metadata') return 'invoiceMetadata';
    if (path === '/invoices/exports') return 'invoiceExport';
    return undefined;
  }
  if (m !== 'GET') return undefined;
  if (path === '/sessions') return 'sessionList';
  if (/^\/sessions\/[^/]+\/invoices(\/failed)?$/.test(path)) return 'sessionInvoiceList';
  if (/^\/sessions\/[^/]+\/invoices\/[^/]+$/.test(path)) return 'invoiceStatus';
  if (/^\/sessions\/[^/]+(\/.*)?$/.test(path)) return 'sessionMisc';
  if (/^\/invoices\/exports\/[^/]+$/.test(path)) return 'invoiceExportStatus';
  if (/^\/invoices\/ksef\/[^/]+$/.test(path)) return 'invoiceDownload';
  return undefined;
}
