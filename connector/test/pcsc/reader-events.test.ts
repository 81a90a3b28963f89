import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from '../helpers/test-connector.js';
import { call, gql } from '../helpers/https-client.js';
import { insertCard, READER_NAMES } from '../helpers/virtual-reader.js';

let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector();
});
afterAll(() => t.close());

/** Open the readerEvents subscription over SSE and collect parsed `next` payloads. */
function subscribe(port: number, ca: string) {
  const events: any[] = [];
  let raw = '';
  const req = request({
    host: '127.0.0.1', port, path: '/graphql', method: 'POST', ca, servername: 'localhost',
    headers: { host: `localhost:${port}`, origin: APP_ORIGIN, 'content-type': 'application/json', accept: 'text/event-stream' },
  });
  const opened = new Promise<{ status: number; type: string }>((resolve) => {
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) });
      res.on('data', (c: Buffer) => {
        raw += c.toString();
        let i;
        while ((i = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, i);
          raw = raw.slice(i + 2);
          const m = /^event: next\ndata: (.*)$/s.exec(block);
          if (m) events.push(JSON.parse(m[1]!).data.readerEvents);
        }
      });
    });
  });
  req.on('error', () => undefined);
  req.end(gql('subscription { readerEvents { type at reader { id name card { atr module } } } }'));
  return { events, opened, close: () => req.destroy() };
}

async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('reader events over Server-Sent Events', () => {
  it('delivers card inserted and removed events as they happen', async () => {
    const sub = subscribe(t.port, t.ca);
    try {
      expect(await sub.opened).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
      const c = await insertCard(1, { profile: '1.8' });
      await until(() => sub.events.some((e) => e.type === 'CARD_INSERTED'));
      const ins = sub.events.find((e) => e.type === 'CARD_INSERTED');
      expect(ins.reader.name).toBe(READER_NAMES[1]);
      expect(ins.reader.card).toEqual({ atr: c.card.atr.toString('hex').toUpperCase(), module: 'BEID' });
      expect(Date.parse(ins.at)).toBeGreaterThan(Date.now() - 60_000);
      await c.vpcd.remove();
      await until(() => sub.events.some((e) => e.type === 'CARD_REMOVED'));
      expect(sub.events.find((e) => e.type === 'CARD_REMOVED').reader).toMatchObject({ name: READER_NAMES[1], card: null });
    } finally {
      sub.close();
    }
  });

  it('refuses a subscription without an event-stream Accept header, and from a disallowed origin', async () => {
    const plain = await t.query('subscription { readerEvents { type } }');
    expect(plain.status).toBe(406);
    expect(plain.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const evil = await call(t.port, t.ca, {
      body: gql('subscription { readerEvents { type } }'),
      headers: { origin: 'https://evil.test', 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    expect(evil.status).toBe(403);
  });
});

describe('when pcscd cannot be reached', () => {
  it('says so clearly instead of listing no readers', async () => {
    // Point the PC/SC client library at a socket nobody listens on: same as pcscd not running.
    const dir = mkdtempSync(join(tmpdir(), 'cardlink-nopcsc-'));
    writeFileSync(join(dir, 'origins.json'), JSON.stringify([{ origin: APP_ORIGIN, label: APP_LABEL }]));
    const bin = fileURLToPath(new URL('../../bin/connector.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--data-dir', join(dir, 'd'), '--origins', join(dir, 'origins.json'), '--log-level', 'warn'], {
      env: { ...process.env, CARDLINK_FROM_SOURCE: '1', PCSCLITE_CSOCK_NAME: join(dir, 'no-pcscd.comm') },
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          const m = /ready on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const { CertStore } = await import('../../src/tls/cert-store.js');
      const ca = new CertStore(join(dir, 'd')).load()!.ca;
      const r = await call(port, ca, { body: gql('{ info { pcscAvailable } readers { id } }'), headers: { origin: APP_ORIGIN, 'content-type': 'application/json' } });
      expect(r.json.errors[0].extensions.code).toBe('PCSC_UNAVAILABLE');
      expect(r.json.errors[0].message).toMatch(/pcscd/);
      const info = await call(port, ca, { body: gql('{ info { pcscAvailable } }'), headers: { origin: APP_ORIGIN, 'content-type': 'application/json' } });
      expect(info.json.data.info.pcscAvailable).toBe(false);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

