import { X509Certificate, type KeyObject } from 'node:crypto';
import { KsefApiError, KsefConfigurationError } from '../../../../ports/ksef-errors.js';
import type { Timer } from '../http/rate-budget.js';

export type PublicKeyUsage = 'KsefTokenEncryption' | 'SymmetricKeyEncryption';

export interface PublicKeyCertificateInfo {
  readonly certificate: string;
  readonly certificateId?: string;
  readonly publicKeyId: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly usage: readonly string[];
}

export interface SelectedPublicKey {
  readonly publicKeyId: string;
  readonly key: KeyObject;
  readonly validFrom: string;
}

/** Of the certificates with `usage` valid at `nowMs`, the one with the latest `validFrom`. */
export function choosePublicKey(list: readonly PublicKeyCertificateInfo[], usage: PublicKeyUsage, nowMs: number): PublicKeyCertificateInfo | undefined {
  const latestValidAt = (at: number) =>
    list
      .filter((c) => c.usage.includes(usage) && Date.parse(c.validFrom) <= at && nowMs < Date.parse(c.validTo))
      .sort((a, b) => Date.parse(b.validFrom) - Date.parse(a.validFrom))[0];
  // After an emergency rotation the only key may start "now" by KSeF's clock; a client clock a little
  // behind must still find it, but a key valid now always wins over one that is about to start.
  return latestValidAt(nowMs) ?? latestValidAt(nowMs + CLOCK_SKEW_MS);
}

/** How far the local clock may lag KSeF's when judging whether a key has started. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The MF encryption certificates, fetched on first use (never at start-up, README §16-1), trusted for
 * a time-to-live, and fetched again when KSeF says a key is withdrawn (21470).
 */
export class PublicKeyStore {
  private cached: { list: PublicKeyCertificateInfo[]; fetchedAt: number } | undefined;
  private inFlight: Promise<PublicKeyCertificateInfo[]> | undefined;

  constructor(
    private readonly fetchList: () => Promise<PublicKeyCertificateInfo[]>,
    private readonly timer: Timer,
    private readonly ttlMs: number,
  ) {}

  async get(usage: PublicKeyUsage): Promise<SelectedPublicKey> {
    const now = this.timer.now();
    const list = await this.list(now);
    const chosen = choosePublicKey(list, usage, now);
    if (!chosen) throw new KsefConfigurationError(`KSeF publishes no valid public key for ${usage}`);
    const key = new X509Certificate(Buffer.from(chosen.certificate, 'base64')).publicKey;
    return { publicKeyId: chosen.publicKeyId, key, validFrom: chosen.validFrom };
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /** Runs `use` with the current key; if KSeF answers 21470 (unknown or withdrawn key), refetches and runs it once more. */
  async withKey<T>(usage: PublicKeyUsage, use: (key: SelectedPublicKey) => Promise<T>): Promise<T> {
    try {
      return await use(await this.get(usage));
    } catch (error) {
      if (!(error instanceof KsefApiError && error.hasCode(21470))) throw error;
      this.invalidate();
      return use(await this.get(usage));
    }
  }

  private async list(now: number): Promise<PublicKeyCertificateInfo[]> {
    if (this.cached && now - this.cached.fetchedAt < this.ttlMs) return this.cached.list;
    this.inFlight ??= this.fetchList().finally(() => {
      this.inFlight = undefined;
    });
    try {
      const list = await this.inFlight;
      this.cached = { list, fetchedAt: now };
      return list;
    } catch (error) {
      // A stale list is better than none while KSeF's key endpoint is unreachable.
      if (this.cached) return this.cached.list;
      throw error;
    }
  }
}
