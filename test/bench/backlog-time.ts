import { RateBudget, type Timer } from '../../functions/adapters/ksef/client/http/rate-budget.js';
import { DEFAULT_RATE_LIMITS, type RateLimitGroup, type RateLimitValues } from '../../functions/adapters/ksef/client/http/rate-limit-groups.js';
import type { BacklogResult } from './backlog-run.js';
import { formatWait } from './full-path.js';
import type { BenchLine, BenchSection } from './report.js';

const TARGET = { op: '<=', value: 1.2 } as const;

const WINDOWS = [
  { ms: 1_000, limit: (v: RateLimitValues) => v.perSecond },
  { ms: 60_000, limit: (v: RateLimitValues) => v.perMinute },
  { ms: 3_600_000, limit: (v: RateLimitValues) => v.perHour },
] as const;

/**
 * The least time in which `count` requests fit one counter's sliding windows: the k-th request
 * cannot come before ⌊(k−1)/limit⌋ whole windows have passed, for every window at once.
 */
export function minimalSpanMs(count: number, limits: RateLimitValues): number {
  if (count <= 1) return 0;
  return Math.max(...WINDOWS.map((w) => (Number.isFinite(w.limit(limits)) ? Math.floor((count - 1) / w.limit(limits)) * w.ms : 0)));
}

function limitsOf(group: RateLimitGroup): RateLimitValues | undefined {
  return group === 'unlimited' ? undefined : DEFAULT_RATE_LIMITS[group];
}

/** The ideal wait: every counter's requests at the fastest pace its limits allow, counters in parallel. */
export function idealWaitMs(requests: readonly { group: RateLimitGroup; key: string }[]): number {
  const perKey = new Map<string, { group: RateLimitGroup; count: number }>();
  for (const r of requests) perKey.set(r.key, { group: r.group, count: (perKey.get(r.key)?.count ?? 0) + 1 });
  return Math.max(0, ...[...perKey.values()].map(({ group, count }) => {
    const limits = limitsOf(group);
    return limits ? minimalSpanMs(count, limits) : 0;
  }));
}

/** Replays a request sequence through the client's RateBudget on a virtual clock (no work time): the waits alone. */
export async function replayWaitMs(requests: readonly { group: RateLimitGroup; key: string }[]): Promise<number> {
  let now = 0;
  const timer: Timer = { now: () => now, sleep: async (ms) => void (now += ms) };
  const budget = new RateBudget(timer);
  for (const r of requests) await budget.acquire(r.group, r.key);
  return now;
}

/**
 * Section 3. The backlog run (section 2) ran on a warp clock against the simulator with production
 * limits: real work took real time, and the client's rate-budget waits were skipped but added to the
 * clock. So its elapsed time IS the model: work + the waits the client's own budget logic imposed.
 * The ideal is the same work plus the least wait the limits force on the same requests.
 */
export async function backlogTimeSection(run: BacklogResult, quick: boolean): Promise<BenchSection> {
  const modelled = run.elapsedMs;
  const work = run.elapsedMs - run.waitedMs;
  const limited = run.requests.filter((r) => r.group !== 'unlimited');
  const ideal = work + idealWaitMs(limited);
  const n = run.invoices.toLocaleString('en-US');

  // For contrast: the same backlog through online sessions only (1,000 invoices a session), waits alone.
  const onlinePlan: { group: RateLimitGroup; key: string }[] = [];
  for (let sent = 0; sent < run.invoices; sent += 1000) {
    onlinePlan.push({ group: 'onlineSession', key: 'onlineSession' });
    for (let i = sent; i < Math.min(run.invoices, sent + 1000); i++) onlinePlan.push({ group: 'invoiceSend', key: 'invoiceSend' });
    onlinePlan.push({ group: 'onlineSession', key: 'onlineSession' });
  }
  const onlineReplay = await replayWaitMs(onlinePlan);
  const onlineIdeal = idealWaitMs(onlinePlan);

  const lines: BenchLine[] = [
    { section: 'backlog-time', name: `${n}-invoice backlog under production limits (model)`, value: modelled / 1000, unit: 's', note: `work ${formatWait(work)} + rate-limit waits ${formatWait(run.waitedMs)}; ${run.sendRuns} send run(s), ${run.pollingRuns} polling run(s)` },
    { section: 'backlog-time', name: `ideal the limits allow`, value: ideal / 1000, unit: 's', note: `the same work + the least wait the limits force on the same ${limited.length} requests (${formatWait(ideal - work)})` },
    { section: 'backlog-time', name: `model / ideal`, value: modelled / ideal, unit: '×', target: TARGET },
    { section: 'backlog-time', name: `for contrast: online sessions only, waits`, value: onlineReplay / 3_600_000, unit: 'h', note: `${onlinePlan.length} requests replayed through the client's RateBudget; ideal ${formatWait(onlineIdeal)} (${(onlineReplay / Math.max(1, onlineIdeal)).toFixed(3)}×)` },
  ];
  return {
    title: `3. Time for a ${n}-invoice backlog under the production rate limits`,
    lines,
    notes: [
      'Model: the section-2 backlog run used a warp clock shared by the client and the simulator. Real work (packaging, encryption, upload, the simulator\'s processing, repository writes) took real time on this machine; every wait (the client\'s RateBudget, Retry-After) was skipped but added to the clock, and the simulator\'s limiter judged each request in that clock with the production table. The elapsed clock time is therefore work + the waits that the client\'s own budget logic (http/rate-budget.ts) imposed, without a wall-clock run of hours.',
      'Ideal: the same work plus, for the same requests, the least time their counters need (the k-th request of a counter cannot come before ⌊(k−1)/limit⌋ windows have passed, per second, minute and hour; counters in parallel). process-sessions is run as soon as the simulator has processed the package; in production it runs on its schedule, which adds the interval between runs to both.',
      'Work time depends on this machine\'s load; KSeF\'s real processing time is not modelled (the simulator processes with no artificial delay).',
      'For contrast, the same backlog through online sessions alone (one invoiceSend request per invoice, 180 an hour) replayed through the same RateBudget: why send-documents switches to a batch session for a backlog.',
      ...(quick ? [`Quick mode: the backlog is ${n} invoices, not 10,000.`] : []),
    ],
  };
}
