/**
 * Benchmark: the connector's full guarded pipeline (graphql-yoga with its plugin list: TLS,
 * host guard, origin guard + CORS, tag, rate limit, body limit, GraphQL, per-request log line)
 * against a bare node:https server returning the same JSON, against graphql-yoga out of the box
 * (same answers, a Host/Origin check; plain and with graphql-jit) and against yoga's floor
 * (graphql-jit, yoga configured as the connector configures it, no guard), same certificate,
 * same run. Prints req/s and latency for the `info` and `readers` queries at 1 and 10
 * keep-alive connections, the ratios to the bare server, the connector's ratio to yoga+jit
 * measured pairwise in each round (the two runs are adjacent in time, so a slow spell of the
 * machine lands on both), and the connector's idle RSS.
 */
import autocannon from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
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
  // Its log (one line per request, level info as shipped) goes to a file, as deployed.
  const connector = await spawnReadyLoggingTo(
    join(dir, 'connector.log'),
    process.execPath,
    [CONNECTOR_BUNDLE, 'start', '--port', '0', '--data-dir', dataDir, '--origins', origins, '--rate-limit', '1000000', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'info'],
    /ready on https:\/\/127\.0\.0\.1:(\d+)\//,
  );
  const cport = Number(connector.match[1]);
  await new Promise((r) => setTimeout(r, 2000));
  const idleRss = rssMb(connector.child.pid!);

  // The bare server answers with exactly what the connector answers.
  const bodies: Record<string, string> = {};
  for (const [name, q] of Object.entries(QUERIES)) bodies[`/${name}`] = await post(cport, JSON.stringify({ query: q }));
  const bodiesFile = join(dir, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  const bare = await spawnReady(
    process.execPath,
    [`${ROOT}test/bench/bare-server.mjs`, join(dataDir, 'tls/server.key'), join(dataDir, 'tls/server.crt'), bodiesFile],
    /ready on (\d+)/,
  );
  const bport = Number(bare.match[1]);
  const bpid = bare.child.pid!;
  const cpid = connector.child.pid!;
  const yogaServer = (mode: string) =>
    spawnReady(
      process.execPath,
      [`${ROOT}test/bench/yoga-server.mjs`, join(dataDir, 'tls/server.key'), join(dataDir, 'tls/server.crt'), bodiesFile, ORIGIN, mode],
      /ready on (\d+)/,
    );
  const yoga = await yogaServer('plain');
  const yport = Number(yoga.match[1]);
  const ypid = yoga.child.pid!;
  const yogaJit = await yogaServer('jit');
  const jport = Number(yogaJit.match[1]);
  const jpid = yogaJit.child.pid!;
  const yogaFloor = await yogaServer('floor');
  const fport = Number(yogaFloor.match[1]);
  const fpid = yogaFloor.child.pid!;

  const rows: Row[] = [];
  try {
    for (const [name, q] of Object.entries(QUERIES)) {
      const body = JSON.stringify({ query: q });
      await load(cport, cpid, '/graphql', body, 10); // warm-up: caches, JIT, TLS sessions
      await load(bport, bpid, `/${name}`, body, 10);
      await load(yport, ypid, '/graphql', body, 10);
      await load(jport, jpid, '/graphql', body, 10);
      await load(fport, fpid, '/graphql', body, 10);
      for (const connections of [1, 10]) {
        // Alternate the targets over several rounds and keep the median of each, so a burst of
        // load from elsewhere on the machine does not land on one side only.
        const runs: Record<string, Run[]> = { bare: [], yoga: [], 'yoga+jit': [], 'yoga floor': [], connector: [] };
        const paired: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          runs.bare!.push(await load(bport, bpid, `/${name}`, body, connections));
          runs.yoga!.push(await load(yport, ypid, '/graphql', body, connections));
          runs['yoga floor']!.push(await load(fport, fpid, '/graphql', body, connections));
          const jit = await load(jport, jpid, '/graphql', body, connections);
          const conn = await load(cport, cpid, '/graphql', body, connections);
          runs['yoga+jit']!.push(jit);
          runs.connector!.push(conn);
          paired.push(conn.rps / jit.rps);
        }
        for (const [target, r] of Object.entries(runs)) rows.push({ query: name, target, ...median(r) });
        paired.sort((a, b) => a - b);
        rows[rows.length - 1]!.vsJit = { median: paired[Math.floor(paired.length / 2)]!, low: paired[0]!, high: paired[paired.length - 1]! };
      }
    }
  } finally {
    const loadedRss = rssMb(connector.child.pid!);
    await stop(bare.child);
    await stop(yoga.child);
    await stop(yogaJit.child);
    await stop(yogaFloor.child);
    await stop(connector.child);
    print(rows, idleRss, loadedRss, pcscNote(bodies['/info']));
  }
  return rows;
}

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const m = sorted[Math.floor(sorted.length / 2)]!;
  const cpu = [...runs].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(runs.length / 2)]!.cpuUs;
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
    `HTTP pipeline benchmark: bare node:https, graphql-yoga out of the box (plain and with @envelop/graphql-jit), yoga's floor (jit, configured as the connector, no guard), the connector (yoga + its plugins) (median of ${ROUNDS} alternating ${DURATION}s runs, keep-alive, autocannon)`,
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
