/** One measured line of the benchmark report. */
export interface BenchLine {
  /** Which measurement this belongs to, e.g. `throughput`. */
  readonly section: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target, when this line has one. */
  readonly target?: { readonly op: '>=' | '<='; readonly value: number };
  /** How the number was obtained when that is not obvious (extrapolated, model, …). */
  readonly note?: string;
}

export interface BenchSection {
  readonly title: string;
  readonly lines: readonly BenchLine[];
  /** Free text printed under the table: the model, caveats. */
  readonly notes: readonly string[];
}

export type Verdict = 'PASS' | 'MISS' | '';

export function verdictOf(line: BenchLine): Verdict {
  if (!line.target) return '';
  const ok = line.target.op === '>=' ? line.value >= line.target.value : line.value <= line.target.value;
  return ok ? 'PASS' : 'MISS';
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(2);
  if (value === 0) return '0';
  return value.toPrecision(3);
}

/** A plain-text table: name, value, unit, target, verdict, note. */
export function renderSection(section: BenchSection): string {
  const rows = section.lines.map((line) => [
    line.name,
    formatNumber(line.value),
    line.unit,
    line.target ? `${line.target.op} ${formatNumber(line.target.value)}` : '',
    verdictOf(line),
    line.note ?? '',
  ]);
  const header = ['measure', 'value', 'unit', 'target', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [`== ${section.title} ==`, render(header), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)];
  for (const note of section.notes) out.push(`  * ${note}`);
  return out.join('\n');
}
