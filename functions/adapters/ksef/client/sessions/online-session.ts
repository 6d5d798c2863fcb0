import type { OnlineSession } from '../../../../ports/ksef-gateway.js';
import type { ClientContext } from '../client-context.js';
import type { encryptInvoice } from '../crypto/primitives.js';
import { encryptionInfo, generateSymmetricKey, type SymmetricKey } from '../crypto/primitives.js';
import { KsefApiError, KsefConfigurationError, KsefUnknownOutcomeError } from '../../../../ports/ksef-errors.js';
import { must } from '../http/ksef-api.js';
import { FORM_CODES, type FormCodeName } from './form-codes.js';
import { getSessionState } from './session-status.js';

/** The AES key of each session this process opened; it never leaves the process. */
export class SessionKeys {
  private readonly keys = new Map<string, SymmetricKey>();
  set(ref: string, key: SymmetricKey): void {
    this.keys.set(ref, key);
  }
  get(ref: string): SymmetricKey {
    const key = this.keys.get(ref);
    if (!key) throw new KsefConfigurationError(`Session ${ref} was not opened by this process; open a new session to send`);
    return key;
  }
  delete(ref: string): void {
    this.keys.delete(ref);
  }
}

/**
 * POST /sessions/online. Not repeated after a lost response (each call opens another session); an
 * unused session costs nothing and ends as 440, so the caller may simply open again.
 */
export async function openOnlineSession(ctx: ClientContext, sessionKeys: SessionKeys, formCode: FormCodeName = 'FA(3)', signal?: AbortSignal): Promise<OnlineSession> {
  const secret = generateSymmetricKey();
  const opened = await ctx.keys.withKey('SymmetricKeyEncryption', (key) =>
    ctx.auth.authorized(async (headers) => {
      const { data } = await ctx.api.POST('/sessions/online', {
        headers,
        body: { formCode: FORM_CODES[formCode], encryption: encryptionInfo(key.key, key.publicKeyId, secret) },
        signal,
      });
      return must(data, 'POST /sessions/online');
    }, signal),
  );
  sessionKeys.set(opened.referenceNumber, secret);
  return { referenceNumber: opened.referenceNumber, validUntil: opened.validUntil };
}

export interface EncryptedInvoice extends ReturnType<typeof encryptInvoice> {
  readonly offlineMode: boolean;
  readonly hashOfCorrectedInvoice?: string;
}

/** One raw POST of an invoice; may throw KsefUnknownOutcomeError. Use sendInvoiceOnce, not this. */
export async function postInvoice(ctx: ClientContext, sessionRef: string, body: EncryptedInvoice, signal?: AbortSignal): Promise<string> {
  return ctx.auth.authorized(async (headers) => {
    const { data } = await ctx.api.POST('/sessions/online/{referenceNumber}/invoices', {
      params: { path: { referenceNumber: sessionRef } },
      headers,
      body,
      signal,
    });
    return must(data, 'POST /sessions/online/{referenceNumber}/invoices').referenceNumber;
  }, signal);
}

/**
 * Closes an online or batch session once. If the response is lost, the session status tells whether
 * the close happened (anything but 100 "open"); only a session still open is closed again.
 */
export async function closeSessionOnce(ctx: ClientContext, kind: 'online' | 'batch', sessionRef: string, signal?: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.auth.authorized(async (headers) => {
        const path = kind === 'online' ? '/sessions/online/{referenceNumber}/close' : '/sessions/batch/{referenceNumber}/close';
        await ctx.api.POST(path, { params: { path: { referenceNumber: sessionRef } }, headers, signal });
      }, signal);
      return;
    } catch (error) {
      // 21180 on a repeated close: the lost first close did land.
      if (attempt > 1 && error instanceof KsefApiError && error.hasCode(21180)) return;
      if (!(error instanceof KsefUnknownOutcomeError) || attempt >= 3) throw error;
      const state = await getSessionState(ctx, sessionRef, signal);
      if (state.status.code !== 100) return;
    }
  }
}
