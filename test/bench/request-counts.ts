import type { RateLimitGroup } from '../../functions/adapters/ksef/client/http/rate-limit-groups.js';
import type { BacklogResult } from './backlog-run.js';
import { countByGroup } from './ksef-setup.js';
import type { BenchLine, BenchSection } from './report.js';

const TARGET = { op: '<=', value: 0.01 } as const;
/** The backlog size from which the target applies (issue 4). */
const TARGET_FROM = 1000;

/** Requests per group for one backlog: measured, or extrapolated from two measured backlogs. */
export interface GroupCounts {
  readonly invoices: number;
  readonly byGroup: ReadonlyMap<RateLimitGroup, { readonly requests: number; readonly tooMany: number }>;
  readonly extrapolatedFrom?: readonly [number, number];
}

export function countsOf(result: BacklogResult): GroupCounts {
  return { invoices: result.invoices, byGroup: countByGroup(result.requests) };
}

/**
 * Counts for `invoices` on the straight line through two measured backlogs (fixed cost + cost per
 * invoice, per group): what the quick mode reports for 10,000 instead of running it.
 */
export function extrapolate(small: GroupCounts, large: GroupCounts, invoices: number): GroupCounts {
  const groups = new Set([...small.byGroup.keys(), ...large.byGroup.keys()]);
  const byGroup = new Map<RateLimitGroup, { requests: number; tooMany: number }>();
  const at = (a: number, b: number) => Math.max(0, Math.round(b + ((b - a) * (invoices - large.invoices)) / (large.invoices - small.invoices)));
  for (const group of groups) {
    const a = small.byGroup.get(group) ?? { requests: 0, tooMany: 0 };
    const b = large.byGroup.get(group) ?? { requests: 0, tooMany: 0 };
    byGroup.set(group, { requests: at(a.requests, b.requests), tooMany: at(a.tooMany, b.tooMany) });
  }
  return { invoices, byGroup, extrapolatedFrom: [small.invoices, large.invoices] };
}

export function requestCountSection(all: readonly GroupCounts[]): BenchSection {
  const lines: BenchLine[] = [];
  for (const counts of all) {
    const n = counts.invoices;
    const how = counts.extrapolatedFrom ? `extrapolated from ${counts.extrapolatedFrom.join(' and ')}` : 'measured';
    const limited = [...counts.byGroup].filter(([group]) => group !== 'unlimited');
    const total = limited.reduce((sum, [, c]) => sum + c.requests, 0);
    const tooMany = limited.reduce((sum, [, c]) => sum + c.tooMany, 0);
    lines.push({
      section: 'requests',
      name: `backlog ${n.toLocaleString('en-US')}: rate-limited requests / invoice`,
      value: total / n,
      unit: 'req/invoice',
      ...(n >= TARGET_FROM ? { target: TARGET } : {}),
      note: `${total} requests, ${how}`,
    });
    for (const [group, c] of [...counts.byGroup].sort((a, b) => b[1].requests - a[1].requests)) {
      lines.push({ section: 'requests', name: `  ${group}`, value: c.requests / n, unit: 'req/invoice', note: `${c.requests} requests${c.tooMany ? `, ${c.tooMany} answered 429` : ''}` });
    }
    lines.push({ section: 'requests', name: `  answered 429`, value: tooMany / n, unit: 'req/invoice', note: `${tooMany} (simulator enforcing the production limits)` });
  }
  return {
    title: '2. KSeF requests per invoice, by rate-limit group (send-documents, then process-sessions until every invoice has its KSeF number)',
    lines,
    notes: [
      'Each backlog is seeded as Pending documents (memory repositories) and sent by the real send-documents code unit through the real client to the in-process simulator, which enforces the PRODUCTION limits; process-sessions then polls until all are Accepted. Login is included (one per backlog).',
      'Groups are the client\'s own classification (http/rate-limit-groups.ts). "Rate-limited requests" counts every KSeF API request (`public` = the per-IP 60/s auth endpoints); `unlimited` = pre-signed part uploads, which KSeF does not limit and which are not counted.',
      'send-documents uses an online session below its batch threshold (default 100) and one batch session per 10,000 invoices above it.',
      ...all
        .filter((c) => c.extrapolatedFrom)
        .map((c) => `Quick mode: ${c.invoices.toLocaleString('en-US')} is not run; its counts lie on the straight line through the ${c.extrapolatedFrom?.join('- and ')}-invoice runs, per group (fixed cost + cost per invoice).`),
    ],
  };
}
