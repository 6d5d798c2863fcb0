/** Rate-limit groups of `GET /rate-limits` (EffectiveApiRateLimits), production values (README §9). */
export const RateLimitGroup = {
  onlineSession: 'onlineSession',
  batchSession: 'batchSession',
  invoiceSend: 'invoiceSend',
  invoiceStatus: 'invoiceStatus',
  sessionList: 'sessionList',
  sessionInvoiceList: 'sessionInvoiceList',
  sessionMisc: 'sessionMisc',
  invoiceMetadata: 'invoiceMetadata',
  invoiceExport: 'invoiceExport',
  invoiceExportStatus: 'invoiceExportStatus',
  invoiceDownload: 'invoiceDownload',
  other: 'other',
} as const;
export type RateLimitGroup = (typeof RateLimitGroup)[keyof typeof RateLimitGroup];

export interface RateLimitValues {
  readonly perSecond: number;
  readonly perMinute: number;
  readonly perHour: number;
}

export type RateLimitTable = Record<RateLimitGroup, RateLimitValues>;

const v = (perSecond: number, perMinute: number, perHour: number): RateLimitValues => ({ perSecond, perMinute, perHour });

export const PRODUCTION_RATE_LIMITS: RateLimitTable = {
  onlineSession: v(10, 30, 120),
  batchSession: v(10, 20, 60),
  invoiceSend: v(10, 30, 180),
  invoiceStatus: v(30, 120, 1200),
  sessionList: v(5, 10, 60),
  sessionInvoiceList: v(10, 20, 200),
  sessionMisc: v(10, 120, 1200),
  invoiceMetadata: v(8, 16, 20),
  invoiceExport: v(8, 16, 20),
  invoiceExportStatus: v(10, 60, 600),
  invoiceDownload: v(8, 16, 64),
  other: v(10, 30, 120),
};

/** The unauthenticated endpoints and the auth polling/token endpoints: 60 req/s per IP only. */
export const PUBLIC_LIMIT: RateLimitValues = v(60, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
