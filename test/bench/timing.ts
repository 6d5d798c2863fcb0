import { cpus, loadavg } from 'node:os';

export interface Timed<T> {
  readonly result: T;
  readonly wallMs: number;
  /** CPU time of the whole process (every thread, user + system) spent meanwhile. */
  readonly cpuMs: number;
}

/** Wall and process CPU time of `work`. CPU time keeps its meaning when other processes load the machine. */
export async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** What the numbers were measured on; the load average says how busy the machine was. */
export function describeMachine(): string {
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  return `node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'}), load average ${load}`;
}
