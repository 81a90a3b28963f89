import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from './helpers/https-client.js';

/**
 * A page sending endless unique large documents must not grow the connector: every cache is
 * bounded in bytes. The built connector runs with its old generation capped at 128 MB, so
 * anything kept per document ends in an out-of-memory crash instead of a slow climb (before
 * the fix 1,500 such documents kept ~400 MB alive, and RSS reached 1.8 GB); RSS is read from
 * /proc and must stay under a bound.
 */
const BIN = fileURLToPath(new URL('../bin/connector.mjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/connector.mjs', import.meta.url));
const ORIGIN = 'https://app.example.com';
const PER_SHAPE = 300;
const IN_FLIGHT = 8;
const HEAP_MB = 128;
const RSS_BOUND_MB = 256;

const rnd = (n: number) => `a${randomBytes(n).toString('base64url').slice(1, n).replace(/-/g, '_')}`;
/** ~100 KB each, unique: what each cache keeps differs (source, inlined literal, error, name). */
const SHAPES: Record<string, { make: () => string; status: number }> = {
  comment: { make: () => `{ info { version } } # ${rnd(100_000)}`, status: 200 },
  literal: { make: () => `{ reader(id: "${rnd(100_000)}") { id } }`, status: 200 },
  unknownField: { make: () => `{ info { ${rnd(100_000)} } }`, status: 400 },
  longName: { make: () => `query ${rnd(100_000)} { info { version } }`, status: 200 },
};

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('memory under unique large documents', () => {
  it(`serves ${PER_SHAPE * 4} unique ~100 KB documents within a ${HEAP_MB} MB heap, RSS under ${RSS_BOUND_MB} MB`, async () => {
    expect(existsSync(BUNDLE), 'build the connector first (pnpm --filter @cardlink/connector run build)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'connector-memory-'));
    writeFileSync(join(dir, 'origins.json'), JSON.stringify([{ origin: ORIGIN, label: 'app' }]));
    const env = { ...process.env };
    delete env.CARDLINK_FROM_SOURCE;
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, BIN, 'start', '--port', '0', '--data-dir', dir, '--origins', join(dir, 'origins.json'), '--rate-limit', '1000000', '--log-level', 'warn'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | string | null>((r) => child.once('exit', (code, sig) => r(sig ?? code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /ready on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        void exited.then((c) => reject(new Error(`connector exited ${c}: ${stderr}`)));
      });
      const ca = readFileSync(join(dir, 'tls', 'ca.crt'), 'utf8');
      const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      const idle = rssMb(child.pid!);
      const figures: string[] = [];
      let peak = idle;
      for (const [name, shape] of Object.entries(SHAPES)) {
        const statuses = new Map<number, number>();
        for (let sent = 0; sent < PER_SHAPE; sent += IN_FLIGHT) {
          const replies = await Promise.all(
            Array.from({ length: IN_FLIGHT }, () =>
              call(port, ca, { agent, body: JSON.stringify({ query: shape.make() }), headers: { origin: ORIGIN, 'content-type': 'application/json' } }),
            ),
          );
          for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          peak = Math.max(peak, rssMb(child.pid!));
        }
        expect({ name, statuses: Object.fromEntries(statuses) }).toEqual({ name, statuses: { [shape.status]: Math.ceil(PER_SHAPE / IN_FLIGHT) * IN_FLIGHT } });
        figures.push(`${name} ${rssMb(child.pid!).toFixed(0)} MB`);
      }
      agent.destroy();
      console.log(`connector RSS: idle ${idle.toFixed(0)} MB; after each shape: ${figures.join(', ')}; peak ${peak.toFixed(0)} MB (bound ${RSS_BOUND_MB} MB)`);
      expect(child.exitCode).toBeNull();
      expect(peak).toBeLessThan(RSS_BOUND_MB);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
