import { LEDGER_FLAGS, type LedgerFlag, type LedgerRow } from '../../domain/documents.js';

/*
 * A row's flags and their reasons. The row keeps one reason text with a line per flag
 * (`<flag>: <reason>`), so that one flag can be cleared without losing the others' reasons.
 */

export type FlagReasons = ReadonlyMap<LedgerFlag, string>;

export function flagsOf(row: LedgerRow | undefined): Map<LedgerFlag, string> {
  const reasons = new Map<LedgerFlag, string>();
  if (row === undefined) return reasons;
  const lines = (row.flagReason ?? '').split('\n');
  for (const flag of row.flags) {
    const line = lines.find((l) => l.startsWith(`${flag}: `));
    reasons.set(flag, line === undefined ? 'flagged earlier' : line.slice(flag.length + 2));
  }
  return reasons;
}

/** `row` with exactly these flags (in the catalogue's order) and their reasons; no reason field when unflagged. */
export function withFlags(row: LedgerRow, reasons: FlagReasons): LedgerRow {
  const { flagReason: _old, ...rest } = row;
  const flags = LEDGER_FLAGS.filter((flag) => reasons.has(flag));
  if (flags.length === 0) return { ...rest, flags: [] };
  return { ...rest, flags, flagReason: flags.map((flag) => `${flag}: ${reasons.get(flag) ?? ''}`).join('\n') };
}

/** Equal for the ledger's purposes: everything but `updatedAt`, whatever order the store returns keys in. */
export function sameLedgerRow(a: LedgerRow | undefined, b: LedgerRow): boolean {
  if (a === undefined) return false;
  const { updatedAt: _a, ...left } = a;
  const { updatedAt: _b, ...right } = b;
  return canonical(left) === canonical(right);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
