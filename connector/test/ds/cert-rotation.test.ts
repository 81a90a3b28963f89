import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { startTestConnector, type TestConnector } from '../helpers/test-connector.js';
import { startTestDs, type TestDs } from '../helpers/test-ds.js';
import { gql } from '../helpers/https-client.js';

const ORIGIN = 'https://shop.example.com';
const LIFETIME = 24; // seconds: renewal window opens at 16 s, closes at 20 s
let ds: TestDs;
let t: TestConnector;

beforeAll(async () => {
  ds = await startTestDs({ certLifetimeSeconds: LIFETIME });
  await ds.addOrigin(ORIGIN);
  t = await startTestConnector({
    origins: [], dsUrl: ds.url, dsToken: ds.token, dsCaFile: ds.tlsCaFile, dsCycleSeconds: 3600, dsCycleExplicit: true, dsInitialDelayMaxSeconds: 0, logLevel: 'warn',
    // Two request loops as fast as the connector answers (over 1,000/s): the rate limit is not what this test is about.
    rateLimit: 1_000_000,
  });
  const deadline = Date.now() + 15_000;
  while (!t.c.ds!.client.deviceId || t.c.origins.fromDs.length === 0) {
    if (Date.now() > deadline) throw new Error('no registration');
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await t?.close();
  await ds?.close();
});

interface Outcome {
  ok: boolean;
  serial?: string;
  reused: boolean;
}

describe('certificate rotation under load', () => {
  it('renews inside the window with zero failed requests; new connections see the new serial', { timeout: 90_000 }, async () => {
    const ca = readFileSync(join(ds.dir, 'ca/root.cert.pem'), 'utf8');
    const firstSerial = new X509Certificate(t.c.certs.load()!.cert).serialNumber;
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 2, ca });
    const one = (agent: Agent | false) =>
      new Promise<Outcome>((resolve) => {
        const req = request(
          { host: '127.0.0.1', port: t.port, path: '/graphql', method: 'POST', servername: 'localhost', ca, agent,
            headers: { host: `localhost:${t.port}`, origin: ORIGIN, 'content-type': 'application/json' } },
          (res) => {
            const socket = res.socket as TLSSocket;
            const serial = socket.getPeerCertificate().serialNumber;
            const reused = socket.isSessionReused() || (agent !== false && (req as unknown as { reusedSocket: boolean }).reusedSocket);
            res.resume();
            res.on('end', () => resolve({ ok: res.statusCode === 200, serial, reused }));
          },
        );
        req.on('error', () => resolve({ ok: false, reused: false }));
        req.end(gql('{ info { version } }'));
      });

    const outcomes: { kind: 'new' | 'kept'; at: number; o: Outcome }[] = [];
    const stopAt = Date.now() + (LIFETIME - 2) * 1000;
    const loops = [
      (async () => {
        while (Date.now() < stopAt) outcomes.push({ kind: 'new', at: Date.now(), o: await one(false) });
      })(),
      (async () => {
        while (Date.now() < stopAt) outcomes.push({ kind: 'kept', at: Date.now(), o: await one(keepAlive) });
      })(),
    ];
    await Promise.all(loops);
    keepAlive.destroy();

    const failed = outcomes.filter((x) => !x.o.ok);
    const fresh = outcomes.filter((x) => x.kind === 'new');
    const serials = [...new Set(fresh.map((x) => x.o.serial))];
    const now = new X509Certificate(t.c.certs.load()!.cert).serialNumber;
    console.log(`rotation under load: ${outcomes.length} requests (${fresh.length} on new connections), ${failed.length} failed, serials seen ${serials.join(' -> ')}`);
    expect(failed).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(200);
    expect(now).not.toBe(firstSerial);
    expect(serials[0]).toBe(firstSerial);
    expect(fresh.at(-1)!.o.serial).toBe(now); // new connections get the new certificate
    expect(outcomes.filter((x) => x.kind === 'kept' && x.o.ok).length).toBeGreaterThan(50); // kept-alive ones went on
    expect(t.c.ds!.scheduler.history.some((h) => h.reason === 'renewal window')).toBe(true);
  });
});
