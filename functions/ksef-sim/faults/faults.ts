/** Faults a run can switch on, in-process (`sim.faults.set`) or over HTTP (`/_sim/faults`). */
export interface FaultSettings {
  /** Extra delay before every API response. */
  readonly latencyMs?: number;
  /** The next `count` matching requests get a 5xx (default 503) before any work is done. */
  readonly serverErrors?: { readonly count: number; readonly status?: number; readonly match?: string };
  /** The next `count` matching requests get 429 with `Retry-After`. */
  readonly tooManyRequests?: { readonly count: number; readonly retryAfterSeconds?: number; readonly match?: string };
  /** The next `count` matching requests are processed, then the socket is destroyed (response lost). */
  readonly loseResponses?: { readonly count: number; readonly match?: string };
  /**
   * The next `count` invoices received stay at 150 for `polls` status reads and/or `ms`. A read is
   * one GET of the invoice's status, or one GET of a session invoice list page that shows it.
   */
  readonly stuckInvoices?: { readonly count: number; readonly polls?: number; readonly ms?: number };
  /**
   * The next `count` invoices received end in this invoice status (default 550 "cancelled by the
   * system, retry"; 405 "cancelled because the session failed") with no KSeF number: KSeF does not
   * keep them, so the same invoice may be sent again.
   */
  readonly cancelInvoices?: { readonly count: number; readonly code?: 550 | 405; readonly description?: string };
  /**
   * The next `count` invoices sent in an online session are refused synchronously with 400 and this
   * KSeF error code (default 21405 input validation; 21402 size, 21403 hash) and `details`.
   */
  readonly refuseInvoices?: { readonly count: number; readonly code?: 21402 | 21403 | 21405; readonly details?: readonly string[] };
  /** The next `count` sessions closed end in this status (default 500) instead of processing. */
  readonly failSessions?: { readonly count: number; readonly code?: number; readonly description?: string };
  /** Added as `X-System-Warning` to every API response. */
  readonly systemWarning?: string;
}

type Counted = 'serverErrors' | 'tooManyRequests' | 'loseResponses' | 'stuckInvoices' | 'cancelInvoices' | 'refuseInvoices' | 'failSessions';

/** `match` is a regular expression tested against `METHOD /path` (path without `/v2`). */
export class FaultInjector {
  private settings: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = {};

  set(faults: FaultSettings): void {
    this.settings = { ...this.settings, ...faults };
  }

  clear(): void {
    this.settings = {};
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  get systemWarning(): string | undefined {
    return this.settings.systemWarning;
  }

  /** Takes one use of a counted fault if it applies to `request`; returns its settings. */
  take<K extends Counted>(kind: K, request?: string): NonNullable<FaultSettings[K]> | undefined {
    const fault = this.settings[kind] as (FaultSettings[K] & { count: number; match?: string }) | undefined;
    if (!fault || fault.count <= 0) return undefined;
    if (request !== undefined && fault.match && !new RegExp(fault.match).test(request)) return undefined;
    const left = fault.count - 1;
    this.settings[kind] = (left > 0 ? { ...fault, count: left } : undefined) as never;
    return fault as NonNullable<FaultSettings[K]>;
  }
}

type Check = (value: unknown) => string | null;

const nonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a number ≥ 0');
const count: Check = (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a whole number ≥ 0');
const text: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const texts: Check = (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? null : 'must be an array of strings');
const oneOf =
  (...allowed: readonly number[]): Check =>
  (v) =>
    allowed.includes(v as number) ? null : `must be one of ${allowed.join(', ')}`;
const between =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be a whole number from ${min} to ${max}`;
const regex: Check = (v) => {
  if (typeof v !== 'string') return 'must be a regular expression (a string)';
  try {
    new RegExp(v);
    return null;
  } catch {
    return 'is not a valid regular expression';
  }
};

/** The shape of each fault: a value check, or the checks of its fields (`count` required). */
const FAULT_SHAPES: Record<keyof FaultSettings, Check | Record<string, Check>> = {
  latencyMs: nonNegative,
  systemWarning: text,
  serverErrors: { count, status: between(500, 599), match: regex },
  tooManyRequests: { count, retryAfterSeconds: nonNegative, match: regex },
  loseResponses: { count, match: regex },
  stuckInvoices: { count, polls: count, ms: nonNegative },
  cancelInvoices: { count, code: oneOf(550, 405), description: text },
  refuseInvoices: { count, code: oneOf(21402, 21403, 21405), details: texts },
  failSessions: { count, code: between(100, 999), description: text },
};

/**
 * What is wrong with `body` as fault settings, each problem naming its field (`serverErrors.count`);
 * empty when it is fine. Unknown faults and unknown fields are problems: a typo must not silently
 * switch nothing on.
 */
export function faultSettingsProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the body must be a JSON object of faults'];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    const shape = (FAULT_SHAPES as Record<string, Check | Record<string, Check> | undefined>)[name];
    if (shape === undefined) {
      problems.push(`'${name}' is not a fault; known: ${Object.keys(FAULT_SHAPES).join(', ')}`);
    } else if (typeof shape === 'function') {
      const problem = shape(value);
      if (problem) problems.push(`'${name}' ${problem}`);
    } else if (!isObject(value)) {
      problems.push(`'${name}' must be an object with a 'count'`);
    } else {
      if (!('count' in value)) problems.push(`'${name}.count' is required`);
      for (const [field, fieldValue] of Object.entries(value)) {
        const check = shape[field];
        const problem = check === undefined ? `is not a field of ${name}; known: ${Object.keys(shape).join(', ')}` : check(fieldValue);
        if (problem) problems.push(`'${name}.${field}' ${problem}`);
      }
    }
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
