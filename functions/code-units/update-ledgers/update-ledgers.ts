import { ledgerRowOfIncoming, ledgerRowOfOutgoing, type LedgerRow, type OutgoingDocument } from '../../domain/documents.js';
import type { CodeUnit } from '../../ports/code-unit.js';
import type { DocumentRepository } from '../../ports/document-repository.js';
import type { IncomingDocumentRepository } from '../../ports/incoming-document-repository.js';
import type { KsefGateway, KsefInvoiceMetadata } from '../../ports/ksef-gateway.js';
import { KsefRateBudgetExhaustedError, KsefRateLimitError } from '../../ports/ksef-errors.js';
import type { LedgerRepository } from '../../ports/ledger-repository.js';
import type { Page } from '../../ports/run-log-repository.js';
import type { SyncStateRepository, SyncStreamId } from '../../ports/sync-state-repository.js';
import { flagsOf, sameLedgerRow, withFlags } from './ledger-flags.js';
import { businessKeyOfMetadata, reconcileWindow } from './reconcile-window.js';
import { dueForReverification, reverifyMissingFlags } from './reverify-flags.js';

export interface UpdateLedgersOptions {
  /** Invoices acquired this recently are not judged yet (KSeF's metadata may lag behind its statuses). Default 15 min. */
  readonly settleMs?: number;
  /** KSeF is asked for this much more on both sides of a window, so that invoicing vs acquisition dates never fall between windows. Default 15 min. */
  readonly overlapMs?: number;
  /** The longest window (KSeF allows 3 months per query, overlaps included). Default 89 days. */
  readonly maxWindowDays?: number;
  /** Windows per run at most: the metadata endpoint allows 20 calls an hour. Default 3. */
  readonly maxWindowsPerRun?: number;
  /** Records per window at most (250 a page); a fuller window ends at its last record. Default 1000. */
  readonly recordsPerWindow?: number;
  /** Where the first reconciliation starts when our documents do not say otherwise. Default 30 days back. */
  readonly initialLookbackDays?: number;
  /** No window is started with less than this left before the deadline (capped at half the job timeout). Default 60 s. */
  readonly windowReserveMs?: number;
  /**
   * MissingInKsef flags of earlier runs asked about again per run at most (one KSeF download each;
   * that endpoint allows 64 an hour, 16 a minute). Default 10.
   */
  readonly reverifyPerRun?: number;
  /** A flagged row is asked about again only when it has not changed for this long. Default 60 min. */
  readonly reverifyAfterMs?: number;
}

export interface UpdateLedgersDeps {
  readonly ksef: KsefGateway;
  readonly documents: DocumentRepository;
  readonly incoming: IncomingDocumentRepository;
  readonly ledger: LedgerRepository;
  readonly syncState: SyncStateRepository;
  readonly options?: UpdateLedgersOptions;
}

export const LEDGER_STREAM: SyncStreamId = { purpose: 'ledger-reconciliation', subjectType: 'Subject1' };

const DAY_MS = 86_400_000;
const PAGE = 100;

type Counters = Record<'ledgerRows' | 'ledgerUpdated' | 'unknownInKsef' | 'notSentByUs' | 'ksefWindows' | 'reverified' | 'flagsCleared' | 'reverifyPostponed', number>;

/*
 * The KSeF ledger: one row per KSeF number, projected from the local outgoing (Accepted) and
 * incoming documents, then reconciled with KSeF's own metadata of the company's sales (Subject1).
 * The projection is recomputed in full from DynamoDB each run (cheap, and self-healing); only rows
 * that changed are written. The KSeF side is what is rate-limited (20 metadata calls an hour), so
 * it moves in date windows from a persisted mark and never asks for the same window twice; the
 * mark moves only after the window's flags are written. Because KSeF may store an invoice later than
 * its window was judged, MissingInKsef flags of earlier runs are checked again one by one
 * (reverify-flags.ts) and cleared when KSeF knows the invoice after all. Reaching KSeF's limit is
 * not a failure: the windows left wait for a later run (`windowsPostponed`), and the run succeeds.
 */
export function updateLedgersCodeUnit(deps: UpdateLedgersDeps): CodeUnit {
  const options = {
    settleMs: deps.options?.settleMs ?? 15 * 60_000,
    overlapMs: deps.options?.overlapMs ?? 15 * 60_000,
    maxWindowMs: (deps.options?.maxWindowDays ?? 89) * DAY_MS,
    maxWindowsPerRun: deps.options?.maxWindowsPerRun ?? 3,
    recordsPerWindow: deps.options?.recordsPerWindow ?? 1000,
    initialLookbackMs: (deps.options?.initialLookbackDays ?? 30) * DAY_MS,
    windowReserveMs: deps.options?.windowReserveMs ?? 60_000,
    reverifyPerRun: deps.options?.reverifyPerRun ?? 10,
    reverifyAfterMs: deps.options?.reverifyAfterMs ?? 60 * 60_000,
  };
  return {
    id: 'update-ledgers',
    async run(context) {
      const counters: Counters = { ledgerRows: 0, ledgerUpdated: 0, unknownInKsef: 0, notSentByUs: 0, ksefWindows: 0, reverified: 0, flagsCleared: 0, reverifyPostponed: 0 };
      const at = context.clock.now().toISOString();
      const stored = new Map((await all((cursor) => deps.ledger.list({ limit: PAGE, cursor }))).map((row) => [row.ksefNumber, row]));
      const accepted = await all((cursor) => deps.documents.list({ status: 'Accepted', limit: PAGE, cursor }));
      const ours = new Map(accepted.flatMap((doc): [string, OutgoingDocument][] => (doc.ksefNumber === null ? [] : [[doc.ksefNumber, doc]])));
      const incoming = await all((cursor) => deps.incoming.list({ limit: PAGE, cursor }));
      // Chosen before this run writes anything: a flag set by this run's windows waits for a later run.
      const reverify = dueForReverification(stored.values(), context.clock.now().getTime(), options.reverifyAfterMs, options.reverifyPerRun);

      const write = async (rows: readonly LedgerRow[]) => {
        for (const row of rows) {
          context.signal.throwIfAborted();
          if (sameLedgerRow(stored.get(row.ksefNumber), row)) continue;
          // updatedAt says when the row last changed (re-verification asks the least recently changed first).
          const changed = { ...row, updatedAt: at };
          await deps.ledger.put(changed);
          stored.set(row.ksefNumber, changed);
          counters.ledgerUpdated += 1;
        }
      };

      // 1. The projection of the local documents; reconciliation flags survive it.
      const projected: LedgerRow[] = [];
      for (const doc of ours.values()) {
        const row = ledgerRowOfOutgoing(doc, at);
        if (row === null) continue;
        const flags = flagsOf(stored.get(row.ksefNumber));
        // It was in KSeF only until its document recorded the number: it is ours.
        flags.delete('InKsefOnly');
        projected.push(withFlags(row, flags));
      }
      for (const doc of incoming) {
        if (ours.has(doc.ksefNumber)) continue;
        projected.push(ledgerRowOfIncoming(doc, at));
      }
      await write(projected);

      // 2. Reconciliation with KSeF, window by window from the mark.
      const reserveMs = Math.min(options.windowReserveMs, (context.entry.jobTimeoutSeconds * 1000) / 2);
      let state = await deps.syncState.get(LEDGER_STREAM);
      let from = state ? Date.parse(state.mark) : initialFrom(ours.values(), context.clock.now().getTime() - options.initialLookbackMs);
      const unknown = new Set<string>();
      const notOurs = new Set<string>();
      let windowsPostponed = 0;
      for (let window = 0; window < options.maxWindowsPerRun; window++) {
        context.signal.throwIfAborted();
        const now = context.clock.now().getTime();
        if (context.deadline.getTime() - now < reserveMs) break;
        let to = Math.min(now - options.settleMs, from + options.maxWindowMs);
        if (to <= from) break;
        let records: KsefInvoiceMetadata[];
        try {
          records = await deps.ksef.queryInvoiceMetadata(
            {
              subjectType: LEDGER_STREAM.subjectType,
              dateType: 'Invoicing',
              from: new Date(from - options.overlapMs).toISOString(),
              to: new Date(Math.min(to + options.overlapMs, now)).toISOString(),
              maxRecords: options.recordsPerWindow,
            },
            context.signal,
          );
        } catch (error) {
          if (!isRateLimited(error)) throw error;
          // The mark stays before this window: a later run asks for it, nothing is lost.
          windowsPostponed = Math.ceil((now - options.settleMs - from) / options.maxWindowMs);
          context.logger.warn("KSeF's metadata limit is reached; the windows wait for a later run.", { windowsPostponed, from: new Date(from).toISOString(), error: error.message });
          break;
        }
        counters.ksefWindows += 1;
        if (records.length >= options.recordsPerWindow) {
          // A full window: judge only up to its last record; the next window starts there.
          const last = Math.max(...records.map((r) => Date.parse(r.invoicingDate)));
          if (last > from) to = Math.min(to, last);
        }
        const result = await reconcileWindow({
          from,
          to,
          records,
          ours,
          rows: stored,
          findByKey: (record) => deps.documents.findByKey(businessKeyOfMetadata(record)),
          at: context.clock.now().toISOString(),
        });
        await write(result.rows);
        result.unknownInKsef.forEach((k) => unknown.add(k));
        result.notSentByUs.forEach((k) => notOurs.add(k));
        // Progress after effects: the window's flags are written, now the mark may pass it.
        state = await deps.syncState.advance(LEDGER_STREAM, new Date(to).toISOString(), context.clock.now().toISOString(), state?.version ?? 0);
        from = to;
      }

      // 3. Flags of earlier runs that KSeF may have caught up with since.
      const rechecked = await reverifyMissingFlags({
        ksef: deps.ksef,
        ksefNumbers: reverify,
        ours,
        current: (ksefNumber) => stored.get(ksefNumber),
        write: (row) => write([row]),
        at: context.clock.now().toISOString(),
        mayAsk: () => context.deadline.getTime() - context.clock.now().getTime() >= reserveMs,
        signal: context.signal,
      });
      counters.reverified = rechecked.reverified;
      counters.flagsCleared = rechecked.flagsCleared;
      counters.reverifyPostponed = rechecked.postponed;
      counters.unknownInKsef = unknown.size;
      counters.notSentByUs = notOurs.size;
      counters.ledgerRows = stored.size;
      return { counters: { ...counters, ...(windowsPostponed > 0 ? { windowsPostponed } : {}) } };
    },
  };
}

/** KSeF's limit for the metadata query (20 an hour) is reached: stop asking for now, it is not a failure. */
function isRateLimited(error: unknown): error is KsefRateLimitError | KsefRateBudgetExhaustedError {
  return error instanceof KsefRateLimitError || error instanceof KsefRateBudgetExhaustedError;
}

/** The first window starts at the earliest acquisition of our documents, or the lookback, whichever is earlier. */
function initialFrom(ours: Iterable<OutgoingDocument>, lookback: number): number {
  let earliest = lookback;
  for (const doc of ours) {
    const acquired = doc.acquisitionDate === null ? Number.NaN : Date.parse(doc.acquisitionDate);
    if (acquired < earliest) earliest = acquired;
  }
  return earliest;
}

async function all<T>(list: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

