import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { warsawDay } from '../../functions/domain/documents.js';
import { makeInvoiceBatch } from '../helpers/fa3-invoice-factory.js';
import { startKsef } from './ksef-setup.js';
import type { BenchLine } from './report.js';
import { timed } from './timing.js';
import { WarpClock } from './warp-clock.js';

export interface FullPathOptions {
  readonly onlineInvoices: number;
  readonly batchInvoices: number;
}

/**
 * Validate + encrypt + send + status through the real client against the in-process simulator with
 * no latency and no rate limits: the online path (one session, invoices one after the other, as
 * send-documents sends them) and the batch path (one package). Status is read as process-sessions
 * reads it, from the session's invoice list. The client's rate budget still applies the production
 * limits it reads from GET /rate-limits; its waits are skipped on a warp clock and reported.
 */
export async function measureFullPath(options: FullPathOptions): Promise<BenchLine[]> {
  const clock = new WarpClock();
  const ksef = await startKsef({ sim: { clock, rateLimits: false }, timer: clock.asTimer, now: () => clock.nowMs() });
  const validator = new XmllintXsdValidator();
  const { gateway, sim } = ksef;
  const lines: BenchLine[] = [];
  try {
    await gateway.authenticate();
    const issueDate = warsawDay(clock.now());
    await validator.validateMany('fa3', makeInvoiceBatch(20, { prefix: 'FV/WARMUP', issueDate }));

    const online = makeInvoiceBatch(options.onlineInvoices, { prefix: 'FV/ONLINE', issueDate });
    const skippedBefore = clock.skippedMs;
    const onlinePhases = new Phases();
    const onlineRun = await timed(async () => {
      const verdicts = await validator.validateMany('fa3', online);
      onlinePhases.mark('validate');
      const session = await gateway.openOnlineSession();
      for (const [i, xml] of online.entries()) if (verdicts[i]?.valid) await gateway.sendInvoice(session.referenceNumber, { xml });
      await gateway.closeOnlineSession(session.referenceNumber);
      onlinePhases.mark('encrypt + send');
      await sim.settle();
      onlinePhases.mark('KSeF processing (simulator)');
      const accepted = (await gateway.listSessionInvoices(session.referenceNumber)).filter((inv) => inv.status.code === 200).length;
      onlinePhases.mark('status');
      return accepted;
    });
    const onlineWaits = clock.skippedMs - skippedBefore;
    checkAll(onlineRun.result, online.length, 'online');
    lines.push(rate(`online path, ${online.length} invoices, wall`, online.length, onlineRun.wallMs, `${onlinePhases.describe()}; the production budget would add ${formatWait(onlineWaits)} of waiting (skipped here)`));
    lines.push(rate(`online path, ${online.length} invoices, CPU`, online.length, onlineRun.cpuMs, 'per CPU-second of the process, simulator included'));

    const batch = makeInvoiceBatch(options.batchInvoices, { prefix: 'FV/BATCH', issueDate });
    const batchPhases = new Phases();
    const batchRun = await timed(async () => {
      const verdicts = await validator.validateMany('fa3', batch);
      batchPhases.mark('validate');
      const files = batch.filter((_, i) => verdicts[i]?.valid).map((xml, i) => ({ fileName: `invoice-${i + 1}.xml`, xml }));
      const sent = await gateway.sendBatch(files);
      batchPhases.mark('package + encrypt + send');
      await sim.settle();
      batchPhases.mark('KSeF processing (simulator)');
      const accepted = (await gateway.listSessionInvoices(sent.sessionReferenceNumber)).filter((inv) => inv.status.code === 200).length;
      batchPhases.mark('status');
      return accepted;
    });
    checkAll(batchRun.result, batch.length, 'batch');
    lines.push(rate(`batch path, ${batch.length} invoices, wall`, batch.length, batchRun.wallMs, batchPhases.describe()));
    lines.push(rate(`batch path, ${batch.length} invoices, CPU`, batch.length, batchRun.cpuMs, 'per CPU-second of the process, simulator included'));
  } finally {
    await validator.close();
    await ksef.close();
  }
  return lines;
}

/** Wall time per phase of one run, in the order they happened. */
class Phases {
  readonly #phases: { name: string; ms: number }[] = [];
  #last = performance.now();

  mark(name: string): void {
    const now = performance.now();
    this.#phases.push({ name, ms: now - this.#last });
    this.#last = now;
  }

  describe(): string {
    return this.#phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(1)} s`).join(', ');
  }
}

function rate(name: string, count: number, ms: number, note: string): BenchLine {
  return { section: 'throughput', name, value: (count / ms) * 1000, unit: 'invoices/s', note };
}

function checkAll(accepted: number, expected: number, path: string): void {
  if (accepted !== expected) throw new Error(`${path} path: ${accepted} of ${expected} invoices were accepted by the simulator`);
}

export function formatWait(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
