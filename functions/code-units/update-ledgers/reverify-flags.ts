import { KsefApiError, KsefRateBudgetExhaustedError, KsefRateLimitError, KsefUnknownOutcomeError } from '../../ports/ksef-errors.js';
import type { LedgerRow, OutgoingDocument } from '../../domain/documents.js';
import type { KsefGateway } from '../../ports/ksef-gateway.js';
import { flagsOf, withFlags } from './ledger-flags.js';

/*
 * Why re-verify at all: KSeF stores an invoice for good asynchronously, and its metadata query lists
 * an invoice only once stored. A window judged before a late store flags the sale MissingInKsef, and
 * windows are never asked again (the metadata endpoint allows 20 calls an hour). So a flag set in an
 * earlier run is checked again by asking KSeF for that one invoice (GET /invoices/ksef/{ksefNumber}:
 * its own budget of 64 an hour, apart from the metadata's), a bounded number per run, the least
 * recently checked first, each row at most once per `afterMs`. Not judging windows past KSeF's
 * high-water mark instead would need the mark, which the gateway port does not return for the
 * Invoicing-date queries the windows use.
 */

const MISSING = 'MissingInKsef';
const AGAIN = / Asked again on .*$/;

/** Rows flagged MissingInKsef that are due for a check: unchanged for `afterMs`, least recently changed first. */
export function dueForReverification(rows: Iterable<LedgerRow>, now: number, afterMs: number, limit: number): string[] {
  const due = [...rows].filter((row) => row.direction === 'Outgoing' && row.flags.includes(MISSING) && Date.parse(row.updatedAt) <= now - afterMs);
  due.sort((a, b) => cmp(a.updatedAt, b.updatedAt) || cmp(a.acquisitionDate ?? '', b.acquisitionDate ?? '') || cmp(a.ksefNumber, b.ksefNumber));
  return due.slice(0, limit).map((row) => row.ksefNumber);
}

export interface ReverifyInput {
  readonly ksef: KsefGateway;
  /** KSeF numbers to ask about, in order (from `dueForReverification`). */
  readonly ksefNumbers: readonly string[];
  readonly ours: ReadonlyMap<string, OutgoingDocument>;
  /** The row as it stands now (the windows of this run may have cleared its flag already). */
  readonly current: (ksefNumber: string) => LedgerRow | undefined;
  readonly write: (row: LedgerRow) => Promise<void>;
  /** ISO time of this check, for the reason text. */
  readonly at: string;
  /** False when no request should be started any more (the run's deadline is near). */
  readonly mayAsk: () => boolean;
  readonly signal: AbortSignal;
}

export interface ReverifyResult {
  /** Requests to KSeF made. */
  readonly reverified: number;
  /** MissingInKsef flags cleared because KSeF now knows the invoice. */
  readonly flagsCleared: number;
  /** Rows left for a later run because KSeF was busy or failed (429, 5xx, lost response) or time ran out. */
  readonly postponed: number;
}

export async function reverifyMissingFlags(input: ReverifyInput): Promise<ReverifyResult> {
  let reverified = 0;
  let flagsCleared = 0;
  for (const [index, ksefNumber] of input.ksefNumbers.entries()) {
    input.signal.throwIfAborted();
    const row = input.current(ksefNumber);
    const doc = input.ours.get(ksefNumber);
    if (row === undefined || doc === undefined || !row.flags.includes(MISSING)) continue;
    if (!input.mayAsk()) return { reverified, flagsCleared, postponed: input.ksefNumbers.length - index };
    let answer: { readonly hash: string } | { readonly absent: string };
    try {
      const downloaded = await input.ksef.downloadInvoice(ksefNumber, input.signal);
      answer = { hash: downloaded.hash ?? input.ksef.invoiceHash(downloaded.xml) };
    } catch (error) {
      if (input.signal.aborted) throw error;
      if (isTransient(error)) return { reverified: reverified + 1, flagsCleared, postponed: input.ksefNumbers.length - index };
      const absent = absence(error);
      // Any other refusal (403, 401, …) is not about this invoice: fail the run so that it shows.
      if (absent === undefined) throw error;
      answer = { absent };
    }
    reverified += 1;
    const flags = flagsOf(row);
    if ('absent' in answer) {
      flags.set(MISSING, `${(flags.get(MISSING) ?? '').replace(AGAIN, '')} Asked again on ${input.at}: ${answer.absent}.`);
    } else {
      flags.delete(MISSING);
      flagsCleared += 1;
      if (answer.hash !== doc.contentSha256) {
        flags.set('HashMismatch', `KSeF's hash of ${ksefNumber} is ${answer.hash}, the document ${doc.id} hashes to ${doc.contentSha256}.`);
      }
    }
    await input.write(withFlags(row, flags));
  }
  return { reverified, flagsCleared, postponed: 0 };
}

/** KSeF's answer that it does not hold the invoice (yet), in words for the reason; undefined for other errors. */
function absence(error: unknown): string | undefined {
  if (!(error instanceof KsefApiError)) return undefined;
  if (error.hasCode(21164)) return 'KSeF does not know it (21164)';
  if (error.hasCode(21165)) return 'KSeF has not made it available yet (21165)';
  return undefined;
}

/** Busy or failing KSeF: nothing is learnt about the invoice, ask again in a later run. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof KsefRateLimitError ||
    error instanceof KsefRateBudgetExhaustedError ||
    error instanceof KsefUnknownOutcomeError ||
    (error instanceof KsefApiError && error.status >= 500)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
