/**
 * Benchmark: a full eID read (identity, address, photo, certificates) through the
 * connector's GraphQL API against a bare script sending the minimal APDU sequence straight
 * to PC/SC, same vpcd reader, same virtual card, same run; then the cached re-read.
 * Prints APDU counts, wall times and ratios.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { createVirtualCard, insertIntoVpcd, type BelpicCard, type VpcdInsertion } from '@cardlink/virtual-card';
import { CONNECTOR_BUNDLE, spawnReady, stop } from './lib/processes.js';

const require = createRequire(import.meta.url);
const ORIGIN = 'https://bench.example';
const READER_INDEX = 1;
const READER_NAME = 'Virtual PCD 00 01';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FULL = `query($r: ID!) { beid(readerId: $r) {
  identity { cardNumber nationalNumber surname firstNames birthDate sex photoHash }
  address { streetAndNumber zipCode municipality }
  photo { base64 }
  certificates { root { pem } citizenCa { pem } authentication { pem } nonRepudiation { pem } rrn { pem } }
} }`;
const FILES = ['DF014031', 'DF014033', 'DF014035', 'DF00503B', 'DF00503A', 'DF005038', 'DF005039', 'DF00503C'];
const CERTS = new Set(['DF00503B', 'DF00503A', 'DF005038', 'DF005039', 'DF00503C']);

interface PcscReader {
  name: string;
  connect(o: object, cb: (e: Error | null, p: number) => void): void;
  transmit(d: Buffer, n: number, p: number, cb: (e: Error | null, r: Buffer) => void): void;
  disconnect(d: number, cb: () => void): void;
  on(ev: string, cb: (...a: any[]) => void): void;
  SCARD_SHARE_SHARED: number;
  SCARD_LEAVE_CARD: number;
  close(): void;
}

/** The bare script's PC/SC handle on the benchmark's reader, opened once. */
async function openBareReader(): Promise<{ reader: PcscReader; close(): void }> {
  const pcsc = require('pcsclite')();
  pcsc.on('error', () => undefined); // "Command cancelled" on close
  const reader: PcscReader = await new Promise((resolve) => pcsc.on('reader', (r: PcscReader) => r.name === READER_NAME && resolve(r)));
  reader.on('error', () => undefined);
  return {
    reader,
    close() {
      reader.close();
      pcsc.close();
    },
  };
}

/** The bare script: SELECT by path, READ BINARY to the end (or the DER length). */
async function bareRead(reader: PcscReader): Promise<number> {
  const protocol: number = await new Promise((res, rej) => reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (e, p) => (e ? rej(e) : res(p))));
  const tx = (apdu: number[]) => new Promise<Buffer>((res, rej) => reader.transmit(Buffer.from(apdu), 4096, protocol, (e, r) => (e ? rej(e) : res(r))));
  const started = performance.now();
  for (const path of FILES) {
    const p = Buffer.from(path, 'hex');
    await tx([0x00, 0xa4, 0x08, 0x0c, p.length, ...p]);
    let offset = 0;
    let target = Infinity;
    let le = 256;
    for (;;) {
      const r = await tx([0x00, 0xb0, offset >> 8, offset & 0xff, le & 0xff]);
      const sw = r.readUInt16BE(r.length - 2);
      if (sw !== 0x9000) break;
      const n = r.length - 2;
      if (offset === 0 && CERTS.has(path)) target = 4 + r.readUInt16BE(2);
      offset += n;
      if (n < le || offset >= target) break;
      le = Math.min(256, target - offset);
    }
  }
  const ms = performance.now() - started;
  await new Promise<void>((res) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => res()));
  return ms;
}

function gql(port: number, query: string, variables: object): Promise<{ ms: number; body: any }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', rejectUnauthorized: false, agent: false,
        headers: { host: `localhost:${port}`, origin: ORIGIN, 'content-type': 'application/json' } },
      (res) => {
        let d = '';
        res.on('data', (c) => (d += c));
        res.on('end', () => resolve({ ms: performance.now() - started, body: JSON.parse(d) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
}

async function waitReader(port: number, present: boolean): Promise<string> {
  for (;;) {
    const { body } = await gql(port, '{ readers { id name card { atr } } }', {});
    const r = body.data?.readers?.find((x: { name: string }) => x.name === READER_NAME);
    if (r && !!r.card === present) return r.id;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCardRead(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cardlink-bench-card-'));
  writeFileSync(join(dir, 'origins.json'), JSON.stringify([{ origin: ORIGIN, label: 'bench' }]));
  const card: BelpicCard = await createVirtualCard({ profile: '1.7', dataDir: join(dir, 'card') });
  const connector = await spawnReady(
    process.execPath,
    [CONNECTOR_BUNDLE, 'start', '--port', '0', '--data-dir', join(dir, 'c'), '--origins', join(dir, 'origins.json'), '--log-level', 'warn'],
    /ready on https:\/\/127\.0\.0\.1:(\d+)\//,
  );
  const port = Number(connector.match[1]);
  const bare = { apdus: [] as number[], ms: [] as number[] };
  const api = { apdus: [] as number[], ms: [] as number[], cachedMs: [] as number[], cachedApdus: [] as number[] };
  let vpcd: VpcdInsertion | undefined;
  const bareReader = await openBareReader();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh insertion each round: nothing cached anywhere.
      vpcd = await insertIntoVpcd(card, { readerIndex: READER_INDEX });
      const id = await waitReader(port, true);
      await new Promise((r) => setTimeout(r, 300)); // let pcscd settle after the insertion
      let before = card.apduCount;
      bare.ms.push(await bareRead(bareReader.reader));
      bare.apdus.push(card.apduCount - before);

      before = card.apduCount;
      const first = await gql(port, FULL, { r: id });
      if (first.body.errors) throw new Error(JSON.stringify(first.body.errors));
      api.ms.push(first.ms);
      api.apdus.push(card.apduCount - before);

      before = card.apduCount;
      const cached = await gql(port, FULL, { r: id });
      api.cachedMs.push(cached.ms);
      api.cachedApdus.push(card.apduCount - before);
      await vpcd.remove();
      await waitReader(port, false);
    }
  } finally {
    bareReader.close();
    await stop(connector.child);
  }
  const out = [
    '',
    `Card read benchmark (applet 1.7 virtual card in vpcd reader ${READER_INDEX}, median of ${ROUNDS} fresh insertions)`,
    '',
    'path                         APDUs   wall ms   vs bare',
    `bare PC/SC script            ${String(median(bare.apdus)).padStart(5)}  ${median(bare.ms).toFixed(1).padStart(8)}`,
    `connector GraphQL, first     ${String(median(api.apdus)).padStart(5)}  ${median(api.ms).toFixed(1).padStart(8)}   ${(median(api.ms) / median(bare.ms)).toFixed(3)}x time (target <= 1.10x), APDUs ${median(api.apdus) <= median(bare.apdus) ? '<=' : '>'} bare`,
    `connector GraphQL, cached    ${String(median(api.cachedApdus)).padStart(5)}  ${median(api.cachedMs).toFixed(1).padStart(8)}   ${(median(api.ms) / median(api.cachedMs)).toFixed(0)}x faster than the first read (target >= 50x)`,
    '',
  ];
  process.stdout.write(out.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchCardRead();
  process.exit(0); // pcsclite keeps a status thread alive
}
