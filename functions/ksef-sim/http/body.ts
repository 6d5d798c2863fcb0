import { badRequest } from './api-error.js';
import type { SimRequest } from './types.js';

/** Parses a JSON body; anything else is 400/21405 naming the problem. */
export function jsonBody<T = Record<string, unknown>>(req: SimRequest): T {
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    return parsed as T;
  } catch {
    throw badRequest('inputValidation', 'Treść żądania nie jest poprawnym dokumentem JSON.');
  }
}

export function requireField<T>(value: T | null | undefined, field: string): T {
  if (value === undefined || value === null || value === '') throw badRequest('inputValidation', `Pole '${field}' jest wymagane.`);
  return value;
}

export function base64Field(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw badRequest('inputValidation', `Pole '${field}' musi być w base64.`);
  return Buffer.from(value, 'base64');
}

export function pageSize(req: SimRequest, min: number, max: number, fallback: number): number {
  const raw = req.query.get('pageSize');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest('inputValidation', `Parametr 'pageSize' musi być liczbą od ${min} do ${max}.`);
  return n;
}
