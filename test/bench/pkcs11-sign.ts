/**
 * Benchmark: one signature through the connector (HTTPS + GraphQL `tokenSign`, the library in
 * its host process, login + sign + logout each time) against `pkcs11-tool --sign` on the same
 * SoftHSM2 token, same mechanism, same run. Both warm: a few rounds first are not counted (the
 * tool still pays its process start every time, which is what a script calling it pays).
 * Prints the median time per signature, the ratio (target <= 1.2x the tool) and signatures/s.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, SOFTHSM_LIB, USER_PIN } from '../../connector/test/helpers/softhsm-token.js';
import { writeConfiguredLibraries } from '../../connector/src/card/modules/pkcs11/libraries.js';
import { CONNECTOR_BUNDLE, spawnReady, stop } from './lib/processes.js';

const ORIGIN = 'https://bench.example';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 5;
const SIGN = 'mutation($i: TokenSignInput!) { tokenSign(input: $i) { signature } }';
// DigestInfo for SHA-256 (RFC 8017 §9.2): the connector sends it to CKM_RSA_PKCS, and so does the tool.
const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPkcs11Sign(): Promise<void> {
  const token = createSoftHsmToken('bench-token');
  const dir = mkdtempSync(join(tmpdir(), 'cardlink-bench-p11-'));
  writeFileSync(join(dir, 'origins.json'), JSON.stringify([{ origin: ORIGIN, label: 'bench' }]));
  writeConfiguredLibraries(join(dir, 'c'), [{ name: 'softhsm', path: SOFTHSM_LIB }], ['opensc', 'softhsm2']);
  const env = { ...process.env, ...token.env };
  const connector = await spawnReady(
    process.execPath,
    [CONNECTOR_BUNDLE, 'start', '--port', '0', '--data-dir', join(dir, 'c'), '--origins', join(dir, 'origins.json'), '--log-level', 'warn', '--virtual-card', '1.7'],
    /ready on https:\/\/127\.0\.0\.1:(\d+)\//,
    env,
  );
  const port = Number(connector.match[1]);
  const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  const gql = (query: string, variables: object): Promise<any> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { host: `localhost:${port}`, origin: ORIGIN, 'content-type': 'application/json' } },
        (res) => {
          let d = '';
          res.on('data', (c) => (d += c));
          res.on('end', () => resolve(JSON.parse(d)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query, variables }));
    });

  const rows: string[] = [];
  try {
    const tokens = await gql('{ tokens { id label } }', {});
    const tokenId = tokens.data.tokens.find((t: { label: string }) => t.label === token.label).id as string;
    for (const kind of ['RSA-2048 PKCS#1 v1.5 SHA-256', 'EC P-256 ECDSA SHA-256'] as const) {
      const rsa = kind.startsWith('RSA');
      const hash = createHash('sha256').update('benchmark document').digest();
      const input = { tokenId, keyId: rsa ? token.rsa.id : token.ec.id, algorithm: rsa ? 'RSA_PKCS1_SHA256' : 'ECDSA_SHA256', hash: hash.toString('base64'), pin: USER_PIN };
      const dataFile = join(dir, `${rsa ? 'rsa' : 'ec'}.in`);
      writeFileSync(dataFile, rsa ? Buffer.concat([SHA256_PREFIX, hash]) : hash);
      const toolArgs = [
        '--module', SOFTHSM_LIB, '--token-label', token.label, '--login', '--pin', USER_PIN, '--sign',
        '--mechanism', rsa ? 'RSA-PKCS' : 'ECDSA', '--id', rsa ? token.rsa.id : token.ec.id, '-i', dataFile, '-o', join(dir, 'sig.bin'),
      ];
      const api: number[] = [];
      const tool: number[] = [];
      // Interleaved, so both see the same machine load.
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        let t0 = performance.now();
        const r = await gql(SIGN, { i: input });
        const apiMs = performance.now() - t0;
        if (!r.data?.tokenSign?.signature) throw new Error(`tokenSign failed: ${JSON.stringify(r.errors)}`);
        t0 = performance.now();
        execFileSync('pkcs11-tool', toolArgs, { env, stdio: 'ignore' });
        const toolMs = performance.now() - t0;
        if (i >= WARMUP) {
          api.push(apiMs);
          tool.push(toolMs);
        }
      }
      const a = median(api);
      const t = median(tool);
      rows.push(
        `${kind.padEnd(30)} ${t.toFixed(2).padStart(9)} ${a.toFixed(2).padStart(12)} ${(a / t).toFixed(3).padStart(8)}x (target <= 1.20x)  ${(1000 / a).toFixed(0).padStart(5)} sigs/s through the connector`,
      );
    }
  } finally {
    agent.destroy();
    await stop(connector.child);
    token.remove();
  }
  process.stdout.write(
    [
      '',
      `PKCS#11 signature benchmark (SoftHSM2 token, median of ${ROUNDS} warm rounds, interleaved)`,
      '',
      'key / mechanism                pkcs11-tool ms  connector ms   ratio',
      ...rows,
      '',
    ].join('\n'),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPkcs11Sign();
  process.exit(0);
}
