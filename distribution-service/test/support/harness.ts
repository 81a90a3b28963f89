import { createHash, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRootCa, type RootCa } from '../../src/ca/root-ca.js';
import type { Clock } from '../../src/clock.js';
import type { DsConfigInput } from '../../src/config.js';
import { createDs, type Ds } from '../../src/http/server.js';
import * as applications from '../../src/services/applications.js';
import * as organisations from '../../src/services/organisations.js';
import * as tokens from '../../src/services/tokens.js';
import type { Repository } from '../../src/store/repository.js';
import { openTestStore, testBackend, type Backend } from './backends.js';
import { buildCsr, newKey, type DeviceKey } from './csr.js';

/** A settable clock: certificate lifetimes and timestamps move only when a test says so. */
export class FakeClock implements Clock {
  /** Last X-Timestamp handed out against this clock. */
  lastTimestamp = 0;
  constructor(public ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

let sharedCa: RootCa | undefined;
/** One CA per test file: key generation is the slowest part of setting up. */
export const testCa = (): RootCa => (sharedCa ??= generateRootCa());

export interface Harness {
  ds: Ds;
  url: string;
  repo: Repository;
  /** The backend this DS runs on, and what `ds --db` takes to reach its data. */
  backend: Backend;
  dbArg: string;
  clock: FakeClock;
  ca: RootCa;
  token: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * A DS on a fresh store (a temp SQLite file, or its own PostgreSQL schema when DS_TEST_BACKEND
 * is postgres) with org `acme`, app `shop` (https://shop.example.com) and an install token.
 */
export async function startDs(config: DsConfigInput = {}, backend: Backend = testBackend()): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-test-'));
  const store = await openTestStore(backend, dir);
  const repo = store.repo;
  const clock = new FakeClock();
  const ca = testCa();
  const ds = createDs({ db: repo, ca, clock, config });
  const ctx = ds.services;
  await organisations.createOrganisation(ctx, 'acme');
  await applications.createApplication(ctx, { org: 'acme', label: 'shop', name: 'Web shop' });
  await applications.addOrigin(ctx, { org: 'acme', label: 'shop', origin: 'https://shop.example.com' });
  const { token } = await tokens.createInstallToken(ctx, { org: 'acme' });
  const url = await ds.listen();
  return {
    ds,
    url,
    repo,
    backend,
    dbArg: store.dbArg,
    clock,
    ca,
    token,
    dir,
    async close() {
      await ds.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface TestDevice {
  id: string;
  key: DeviceKey;
  certificate: string;
  serial: string;
  notAfter: string;
  registration: any;
}

export async function register(h: Harness, key: DeviceKey = newKey('ec'), token = h.token): Promise<TestDevice> {
  const r = await postJson(`${h.url}/v1/register`, { installToken: token, csr: buildCsr(key), version: '0.1.0', os: 'linux test' });
  if (r.status !== 200) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.deviceId, key, certificate: r.body.certificate, serial: r.body.serial, notAfter: r.body.notAfter, registration: r.body };
}

let txCounter = 0;
export function tx(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `tx-${process.pid}-${Date.now()}-${++txCounter}`,
    useCase: 'SIGNATURE',
    module: 'beid',
    result: 'OK',
    occurredAt: '2025-11-28T10:00:00.000Z',
    label: 'shop',
    tag: 'checkout',
    ...overrides,
  };
}

export function syncBody(device: TestDevice, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0.1.0',
    os: 'linux test',
    uptimeSeconds: 42,
    lastError: null,
    certificate: { serial: device.serial, notAfter: device.notAfter },
    transactions: [],
    ...extra,
  };
}

/** X-Key-Id per PROTOCOL.md: hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
export const keyIdOf = (key: DeviceKey): string => createHash('sha256').update(key.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

/**
 * Headers for a signed request per PROTOCOL.md, built independently of the DS's own code.
 * `keyId: false` leaves X-Key-Id out, as clients from before it did.
 */
export function signHeaders(
  deviceId: string,
  key: DeviceKey,
  body: string,
  timestamp: number,
  path = '/v1/sync',
  opts: { keyId?: string | false } = {},
): Record<string, string> {
  const bodyHash = createHash('sha256').update(body).digest('base64');
  const toSign = `POST\n${path}\n${timestamp}\n${bodyHash}`;
  const keyId = opts.keyId === undefined ? keyIdOf(key) : opts.keyId;
  return {
    'x-device-id': deviceId,
    ...(keyId === false ? {} : { 'x-key-id': keyId }),
    'x-timestamp': String(timestamp),
    'x-signature': sign('sha256', Buffer.from(toSign), key.privateKey).toString('base64'),
  };
}

/** A strictly increasing timestamp near the clock, so no two test requests share one. */
export function freshTimestamp(clock: FakeClock): number {
  clock.lastTimestamp = Math.max(clock.lastTimestamp + 1, clock.now());
  return clock.lastTimestamp;
}

export async function signedSync(
  h: Harness,
  device: TestDevice,
  body: unknown,
  opts: { key?: DeviceKey; timestamp?: number; keyId?: string | false } = {},
): Promise<{ status: number; body: any; sent: { body: string; headers: Record<string, string> } }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = signHeaders(device.id, opts.key ?? device.key, text, opts.timestamp ?? freshTimestamp(h.clock), '/v1/sync', { keyId: opts.keyId });
  const r = await postJson(`${h.url}/v1/sync`, text, headers);
  return { ...r, sent: { body: text, headers } };
}
