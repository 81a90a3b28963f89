import { readdirSync, readFileSync } from 'node:fs';

/**
 * Who used the machine's CPU during a measurement: per group of processes (DS replicas,
 * PostgreSQL, HAProxy, the load generator), from /proc, so a figure says what limited it.
 * "softirq" is the kernel's interrupt work, which Linux charges to no process: on loopback it is
 * mostly delivering packets (this run's and any other process's); "other" is the rest of the
 * machine's busy time (other sessions' processes, kernel threads).
 */
const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux.

/** utime + stime (+ the reaped children's, for a parent whose workers come and go) in ticks. */
function ticksOf(pid: number, withReaped: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the name: state is f[0], so utime (field 14) is f[11].
    const own = Number(f[11]) + Number(f[12]);
    return withReaped ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0; // exited
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** A process and its live children (PostgreSQL's backends, HAProxy's worker). */
const treeTicks = (pid: number): number => ticksOf(pid, true) + childrenOf(pid).reduce((n, c) => n + ticksOf(c, false), 0);

function machineTicks(): { busy: number; total: number; irq: number } {
  // user nice system idle iowait irq softirq steal
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total, irq: cpu[5]! + cpu[6]! };
}

export type CpuGroups = Record<string, () => number[]>;

export interface CpuShare {
  /** Cores used on average by each group over the measurement (out of `cores`). */
  cores: Record<string, number>;
  machineBusyPercent: number;
}

/** Starts counting; `stop()` gives each group's average cores over the time in between. */
export function cpuMeter(groups: CpuGroups): { stop(): CpuShare } {
  const sample = () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids().reduce((n, p) => n + treeTicks(p), 0)]));
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const g0 = sample();
  const m0 = machineTicks();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const g1 = sample();
      const m1 = machineTicks();
      const self = process.cpuUsage(self0);
      const cores: Record<string, number> = {};
      let accounted = 0;
      for (const k of Object.keys(groups)) {
        const c = (g1[k]! - g0[k]!) / TICK / seconds;
        cores[k] = Number(c.toFixed(2));
        accounted += c;
      }
      const gen = (self.user + self.system) / 1e6 / seconds;
      cores['load generator'] = Number(gen.toFixed(2));
      accounted += gen;
      const ncpu = (m1.total - m0.total) / TICK / seconds;
      const busy = (m1.busy - m0.busy) / TICK / seconds;
      const irq = (m1.irq - m0.irq) / TICK / seconds;
      cores.softirq = Number(irq.toFixed(2));
      cores.other = Number(Math.max(0, busy - accounted - irq).toFixed(2));
      return { cores, machineBusyPercent: Math.round((100 * busy) / ncpu) };
    },
  };
}
