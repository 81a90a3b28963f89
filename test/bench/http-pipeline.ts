/**
 * Benchmark: the connector's full guarded pipeline (graphql-yoga with its plugin list: TLS,
 * host guard, origin guard + CORS, tag, rate limit, body limit, GraphQL, per-request log line)
 * against a bare node:https server returning the same JSON, against graphql-yoga out of the box
 * (same answers, a Host/Origin check; plain and with graphql-jit) and against yoga's floor
 * (graphql-jit, yoga configured as the connector configures it, only the Host/Origin check),
 * same certificate, same run. Prints req/s and latency for the `info` and `readers` queries at 1
 * and 10 keep-alive connections, the ratios to the bare server, the connector's ratio to yoga+jit
 * measured pairwise in each round (the two runs are adjacent in time, so a slow spell of the
 * machine lands on both), and the connector's idle RSS.
 */
import autocannon from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import type { ChildProcess } from 'node:child_process';
import { CONNECTOR_BUNDLE, ROOT, cpuMs, rssMb, spawnReady, spawnReadyLoggingTo, stop } from './lib/processes.js';

const ORIGIN = 'https://bench.example';
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUERIES = {
  info: '{ info { name version apiVersion os arch label pcscAvailable managed } }',
  readers: '{ readers { id name card { atr module description } } }',
};

interface Row {
  query: string;
  connections: number;
  target: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per request, microseconds (less noisy than req/s on a busy machine). */
  cpuUs: number;
  /** Connector only: its req/s over yoga+jit's in each round (median, lowest, highest). */
  vsJit?: { median: number; low: number; high: number };
}

type Run = Omit<Row, 'query' | 'target'>;

function post(port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', rejectUnauthorized: false,
        headers: { host: `localhost:${port}`, origin: ORIGIN, 'content-type': 'application/json' } },
      (res) => {
        let d = '';
        res.on('data', (c) => (d += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(d) : reject(new Error(`${res.statusCode} ${d}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(port: number, pid: number, path: string, body: string, connections: number): Promise<Run> {
  const cpuBefore = cpuMs(pid);
  const r = await autocannon({
    url: `https://127.0.0.1:${port}${path}`,
    method: 'POST',
    headers: { host: `localhost:${port}`, origin: ORIGIN, 'content-type': 'application/json', 't1c-tag': 'bench' },
    body,
    connections,
    pipelining: 1,
    duration: DURATION,
  });
  const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, r.requests.total);
  return { connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs };
}

export async function benchHttpPipeline(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cardlink-bench-http-'));
  const origins = join(dir, 'origins.json');
  writeFileSync(origins, JSON.stringify([{ origin: ORIGIN, label: 'bench' }]));
  const dataDir = join(dir, 'connector');
  // Every server started, stopped in `finally` whatever fails (one that fails to start must not
  // leave the others running, loading the machine for the next run).
  const children: ChildProcess[] = [];
  const started = async (p: Promise<{ child: ChildProcess; match: RegExpExecArray }>) => {
    const s = await p;
    children.push(s.child);
    return { port: Number(s.match[1]), pid: s.child.pid! };
  };
  const rows: Row[] = [];
  let idleRss = 0;
  let loadedRss = 0;
  const bodies: Record<string, string> = {};
  try {
    // Its log (one line per request, level info as shipped) goes to a file, as deployed.
    const connector = await started(
      spawnReadyLoggingTo(
        join(dir, 'connector.log'),
        process.execPath,
        [CONNECTOR_BUNDLE, 'start', '--port', '0', '--data-dir', dataDir, '--origins', origins, '--rate-limit', '1000000', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'info'],
        /ready on https:\/\/127\.0\.0\.1:(\d+)\//,
      ),
    );
    await new Promise((r) => setTimeout(r, 2000));
    idleRss = rssMb(connector.pid);

    // The bare server answers with exactly what the connector answers.
    for (const [name, q] of Object.entries(QUERIES)) bodies[`/${name}`] = await post(connector.port, JSON.stringify({ query: q }));
    const bodiesFile = join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const tls = [join(dataDir, 'tls/server.key'), join(dataDir, 'tls/server.crt'), bodiesFile];
    const yogaServer = (mode: string) => started(spawnReady(process.execPath, [`${ROOT}test/bench/yoga-server.mjs`, ...tls, ORIGIN, mode], /ready on (\d+)/));
    // In the order of each round; the connector runs right after yoga+jit (paired ratio).
    const targets: { name: string; path: (query: string) => string; server: { port: number; pid: number } }[] = [
      { name: 'bare', path: (q) => `/${q}`, server: await started(spawnReady(process.execPath, [`${ROOT}test/bench/bare-server.mjs`, ...tls], /ready on (\d+)/)) },
      { name: 'yoga', path: () => '/graphql', server: await yogaServer('plain') },
      { name: 'yoga floor', path: () => '/graphql', server: await yogaServer('floor') },
      { name: 'yoga+jit', path: () => '/graphql', server: await yogaServer('jit') },
      { name: 'connector', path: () => '/graphql', server: connector },
    ];
    const run = (t: (typeof targets)[number], query: string, body: string, connections: number) => load(t.server.port, t.server.pid, t.path(query), body, connections);

    for (const [name, q] of Object.entries(QUERIES)) {
      const body = JSON.stringify({ query: q });
      // Warm-up: caches, JIT, TLS sessions (the connector first).
      for (const t of [...targets].reverse()) await run(t, name, body, 10);
      for (const connections of [1, 10]) {
        // Alternate the targets over several rounds and keep the median of each, so a burst of
        // load from elsewhere on the machine does not land on one side only.
        const runs = new Map<string, Run[]>(targets.map((t) => [t.name, []]));
        const paired: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          for (const t of targets) runs.get(t.name)!.push(await run(t, name, body, connections));
          paired.push(runs.get('connector')!.at(-1)!.rps / runs.get('yoga+jit')!.at(-1)!.rps);
        }
        for (const [target, r] of runs) {
          const vsJit = target === 'connector' ? { median: middle(paired), low: Math.min(...paired), high: Math.max(...paired) } : undefined;
          rows.push({ query: name, target, ...median(r), ...(vsJit ? { vsJit } : {}) });
        }
      }
    }
    loadedRss = rssMb(connector.pid);
  } finally {
    for (const c of children) await stop(c);
  }
  print(rows, idleRss, loadedRss, pcscNote(bodies['/info']));
  return rows;
}

/** The middle value (the upper one of an even count). */
function middle(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const m = sorted[Math.floor(sorted.length / 2)]!;
  const cpu = middle(runs.map((r) => r.cpuUs));
  return { ...m, cpuUs: cpu, errors: runs.reduce((n, r) => n + r.errors, 0) };
}

/** `readers` costs far more when pcscd is down (every answer is a PCSC_UNAVAILABLE error): say which was measured. */
function pcscNote(infoBody: string | undefined): string {
  try {
    return JSON.parse(infoBody ?? '').data.info.pcscAvailable ? 'pcscd running: readers answers the reader list' : 'pcscd NOT running: readers answers a PCSC_UNAVAILABLE error (start it with scripts/services.sh)';
  } catch {
    return 'pcscd state unknown';
  }
}

function print(rows: Row[], idleRss: number, loadedRss: number, pcsc: string): void {
  const out = [
    '',
    `HTTP pipeline benchmark: bare node:https, graphql-yoga out of the box (plain and with @envelop/graphql-jit), yoga's floor (jit, configured as the connector, only the Host/Origin check), the connector (yoga + its plugins) (median of ${ROUNDS} alternating ${DURATION}s runs, keep-alive, autocannon)`,
    '',
  ];
  out.push('query    conns  target        req/s    p50 ms  p99 ms  errors  ratio   CPU us/req  CPU ratio  vs yoga+jit (per round: median, range)');
  for (const r of rows) {
    const base = rows.find((b) => b.query === r.query && b.connections === r.connections && b.target === 'bare')!;
    const ratio = r.target !== 'bare' ? (r.rps / base.rps).toFixed(2) : '    ';
    const cpuRatio = r.target !== 'bare' ? (base.cpuUs / r.cpuUs).toFixed(2) : '    ';
    const vsJit = r.vsJit ? `${r.vsJit.median.toFixed(2)}x (${r.vsJit.low.toFixed(2)}-${r.vsJit.high.toFixed(2)})` : '';
    out.push(
      `${r.query.padEnd(8)} ${String(r.connections).padStart(5)}  ${r.target.padEnd(12)} ${r.rps.toFixed(0).padStart(7)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${String(r.errors).padStart(6)}  ${ratio}  ${r.cpuUs.toFixed(0).padStart(10)}  ${cpuRatio.padStart(9)}  ${vsJit}`,
    );
  }
  out.push('', pcsc);
  out.push(`connector idle RSS after start: ${idleRss.toFixed(1)} MB (target <= 80 MB); after the load: ${loadedRss.toFixed(1)} MB`, '');
  process.stdout.write(out.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchHttpPipeline();
}
