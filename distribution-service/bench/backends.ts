/**
 * Sync throughput of the three set-ups in one run (issue 16), same machine, same load:
 * 1 DS process on SQLite, 1 replica on PostgreSQL, 2 replicas on PostgreSQL behind HAProxy.
 * Each is bench/sync-throughput.ts in its own processes (fresh database each), run one after
 * the other; every run checks that exactly the sent transactions were stored. Each row says
 * what limited it: the cores each part used (from /proc), the machine's busy share and the
 * 1-minute load average before → after (other work on a shared machine shows as "other"),
 * and the CPU time per sync of the set-up's own processes with the rate 2 free cores would give.
 *
 *   pnpm --filter @cardlink/distribution-service bench:backends [-- --syncs 6000 --devices 200 --connections 32]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  // `pnpm … bench:x -- --flag` passes the `--` through: drop it.
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    syncs: { type: 'string', default: '6000' },
    devices: { type: 'string', default: '200' },
    connections: { type: 'string', default: '32' },
    runs: { type: 'string', default: '1' },
  },
});

interface Result {
  syncsPerSecond: number;
  transactionsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  storedTransactions: number;
  expectedTransactions: number;
  non2xx: number;
  errors: number;
  cpuCores: Record<string, number>;
  machineBusyPercent: number;
  loadAverage: [number, number];
}

/**
 * CPU time the set-up's own processes (DS, PostgreSQL, HAProxy, load generator) spent per sync,
 * and the rate that would fill the machine's 2 cores with them alone: what a quiet machine
 * could reach if nothing but CPU limits it (a projection, printed next to the measured rate).
 */
function cpuPerSync(r: Result): { ms: number; projected: number } {
  // softirq is left out: Linux charges it to no process, and other sessions' traffic adds to it.
  const own = Object.entries(r.cpuCores).reduce((n, [k, v]) => (k === 'other' || k === 'softirq' ? n : n + v), 0);
  const ms = (1000 * own) / r.syncsPerSecond;
  return { ms: Number(ms.toFixed(2)), projected: Math.round(2000 / ms) };
}

/** The part that used the most CPU: on 2 cores, the one that limits the run (or the machine itself, when it is full). */
function limitedBy(r: Result): string {
  const parts = Object.entries(r.cpuCores).sort((a, b) => b[1] - a[1]);
  const used = parts.map(([k, v]) => `${k} ${v}`).join(', ');
  const top = parts[0]![0];
  return `${r.machineBusyPercent >= 90 ? `machine full (${r.machineBusyPercent}%), most: ${top}` : `${top} (machine ${r.machineBusyPercent}%)`}; cores: ${used}`;
}

const SETUPS: { name: string; flags: string[] }[] = [
  { name: '1 process, SQLite', flags: ['--backend', 'sqlite'] },
  { name: '1 replica, PostgreSQL', flags: ['--backend', 'postgres', '--replicas', '1'] },
  { name: '2 replicas + HAProxy, PostgreSQL', flags: ['--backend', 'postgres', '--replicas', '2'] },
];

function run(flags: string[]): Promise<Result> {
  const script = join(import.meta.dirname, 'sync-throughput.ts');
  const common = ['--syncs', args.syncs!, '--devices', args.devices!, '--connections', args.connections!, '--json'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...common, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`sync-throughput ${flags.join(' ')} exited ${code}`))));
  });
}

const rows: string[] = [];
for (let i = 0; i < Number(args.runs); i++) {
  for (const s of SETUPS) {
    process.stderr.write(`--- ${s.name} ---\n`);
    const r = await run(s.flags);
    const ok = r.storedTransactions === r.expectedTransactions && !r.non2xx && !r.errors;
    const c = cpuPerSync(r);
    rows.push(
      `| ${s.name} | ${r.syncsPerSecond} | ${c.ms} ms → ${c.projected} | ${r.transactionsPerSecond} | ${r.latencyMs.p50} / ${r.latencyMs.p99} | ${(r.syncsPerSecond * 28_800).toLocaleString('en')} | ${ok ? 'exact' : 'MISMATCH'} | ${r.loadAverage.join(' → ')} | ${limitedBy(r)} |`,
    );
  }
}
console.log(
  `| set-up (${args.syncs} syncs x 100 tx, ${args.devices} devices, ${args.connections} connections) | syncs/s | CPU per sync → syncs/s on 2 free cores | tx/s | p50 / p99 ms | connectors at 28800 s | stored | load avg (1 min) | limited by |`,
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
