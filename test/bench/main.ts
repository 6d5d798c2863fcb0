/*
 * npm run bench [-- --quick] [-- --json]: a benchmark, not a test. Prints a report with the targets
 * of issue 4 (PASS/MISS) and exits 0 whatever the numbers are; 1 only when a measurement could not
 * run. --quick is a smoke run with smaller counts; --json prints the report as JSON on stdout (the
 * table then goes to stderr; use `npm run --silent bench -- --json` to keep npm's banner out of it).
 */
import { runBacklog, type BacklogResult } from './backlog-run.js';
import { backlogTimeSection } from './backlog-time.js';
import { measureBundleSizes } from './bundle-sizes.js';
import { measureFullPath } from './full-path.js';
import { countsOf, extrapolate, requestCountSection, type GroupCounts } from './request-counts.js';
import { renderSection, verdictOf, type BenchSection } from './report.js';
import { describeMachine } from './timing.js';
import { measureValidateEncryptHash } from './validate-encrypt-hash.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const asJson = args.has('--json');
const print = (text: string) => (asJson ? console.error(text) : console.log(text));

const SIZES = quick
  ? { batchSize: 200, batches: 1, onlineInvoices: 10, batchInvoices: 100, backlogs: [1, 100, 300] }
  : { batchSize: 1000, batches: 3, onlineInvoices: 100, batchInvoices: 1000, backlogs: [1, 100, 10_000] };

const sections: BenchSection[] = [];
const errors: string[] = [];
const started = performance.now();

async function section(name: string, measure: () => Promise<BenchSection>): Promise<void> {
  const t = performance.now();
  try {
    const result = await measure();
    sections.push(result);
    print(`${renderSection(result)}\n  (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    errors.push(`${name}: ${(error as Error).stack ?? String(error)}`);
    print(`== ${name}: could not be measured ==\n${(error as Error).stack ?? String(error)}\n`);
  }
}

print(`KSeF Job Queues benchmark${quick ? ' (quick)' : ''}: ${describeMachine()}\n`);

// esbuild runs in its own process: in quick mode it bundles while the rest is measured.
const bundles = quick ? measureBundleSizes() : undefined;
bundles?.catch(() => undefined);

await section('1. Invoices per second', async () => ({
  title: '1. Invoices per second (FA(3) factory invoices)',
  lines: [
    ...(await measureValidateEncryptHash({ batchSize: SIZES.batchSize, batches: SIZES.batches, twoWorkers: !quick })),
    ...(await measureFullPath({ onlineInvoices: SIZES.onlineInvoices, batchInvoices: SIZES.batchInvoices })),
  ],
  notes: [
    'validate = FA(3) XSD with XmllintXsdValidator (libxml2 in WebAssembly, warm workers; calls in one tick share a run, so invoices are handed over in batches); encrypt + hash = the client\'s encryptInvoice (AES-256-CBC, SHA-256 of the plain and the encrypted invoice).',
    '"1 worker" keeps validation on one thread: the one-core case. The target is judged on wall clock and on process CPU time (all threads); CPU time is the fairer figure on a machine that other work loads (see the load average above).',
    'Online and batch paths: the real client (HttpKsefGateway) against the in-process simulator with no latency and no rate limits; status from the session invoice list, as process-sessions reads it. The simulator shares the 2 cores and validates every invoice it receives with its own xmllint (online invoices arrive one at a time, so each costs it a schema compile): its processing time is KSeF\'s, not ours.',
  ],
}));

let largest: BacklogResult | undefined;
await section('2. Requests per invoice', async () => {
  const counts: GroupCounts[] = [];
  for (const n of SIZES.backlogs) {
    const result = await runBacklog(n);
    if (result.accepted !== n) throw new Error(`backlog ${n}: only ${result.accepted} invoices got a KSeF number`);
    counts.push(countsOf(result));
    largest = result;
  }
  if (quick) {
    const [small, large] = counts.slice(-2) as [GroupCounts, GroupCounts];
    counts.push(extrapolate(small, large, 10_000));
  }
  return requestCountSection(counts);
});

if (largest) {
  const run = largest;
  await section('3. Backlog time', () => backlogTimeSection(run, quick));
}

await section('4. Bundle sizes', () => bundles ?? measureBundleSizes());

const lines = sections.flatMap((s) => s.lines);
const misses = lines.filter((l) => verdictOf(l) === 'MISS');
print(`Targets: ${lines.filter((l) => verdictOf(l) === 'PASS').length} PASS, ${misses.length} MISS${errors.length ? `, ${errors.length} section(s) failed to run` : ''}; ${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
if (asJson) {
  console.log(JSON.stringify({ quick, machine: describeMachine(), sections, errors }, null, 2));
}
// Worker threads of the validators are unref'd, but the simulator's sockets may linger a moment.
process.exit(errors.length > 0 ? 1 : 0);
