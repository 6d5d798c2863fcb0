import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../generated/ksef-api.js';
import { KsefJobError } from '../../../../domain/errors.js';
import type { KsefTransport } from './transport.js';

export type KsefApi = Client<paths>;
export type Schemas = components['schemas'];

/** The typed KSeF API (openapi-fetch over the generated types), sending every request through the transport. */
export function createKsefApi(baseUrl: string, transport: KsefTransport): KsefApi {
  return createClient<paths>({ baseUrl, fetch: transport.fetch });
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** The transport throws on every error status, so a missing body here means KSeF broke the contract. */
export function must<T>(data: T | undefined, what: string): T {
  if (data === undefined || data === null) throw new KsefJobError(`KSeF returned no body for ${what}`);
  return data;
}
