import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from './helpers/test-connector.js';
import { gql, type Reply } from './helpers/https-client.js';
import { localTokenPath } from '../src/local-token.js';
import { connect as tlsConnect } from 'node:tls';

const INFO = '{ info { version label } }';
let t: TestConnector;

beforeAll(async () => {
  t = await startTestConnector({
    origins: [
      { origin: APP_ORIGIN, label: APP_LABEL },
      { origin: 'https://*.partner.example', label: 'partner' },
      { origin: 'http://localhost:5173', label: 'dev' },
    ],
    maxBodyBytes: 8 * 1024,
  });
});
afterAll(() => t.close());

const post = (origin: string | undefined, extra: Record<string, string> = {}, body = gql(INFO)) =>
  t.call({ body, headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...extra } });

const noCors = (headers: Record<string, unknown>) => {
  expect(headers['access-control-allow-origin']).toBeUndefined();
  expect(headers['access-control-allow-private-network']).toBeUndefined();
};

describe('origin guard and CORS', () => {
  it('serves an allowed origin and echoes it exactly, with Vary: Origin', async () => {
    const r = await post(APP_ORIGIN);
    expect(r.status).toBe(200);
    expect(r.json.data.info.label).toBe(APP_LABEL);
    expect(r.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(r.headers.vary).toBe('Origin');
  });

  it('gives wildcard matches the wildcard entry label, and http only for localhost', async () => {
    expect((await post('https://shop.partner.example')).json.data.info.label).toBe('partner');
    expect((await post('https://a.b.partner.example')).json.data.info.label).toBe('partner');
    expect((await post('http://localhost:5173')).json.data.info.label).toBe('dev');
  });

  it.each([
    ['suffix spoof', 'https://app.example.com.evil.test'],
    ['prefix spoof', 'https://evilapp.example.com'],
    ['http instead of https', 'http://app.example.com'],
    ['other port', 'https://app.example.com:8443'],
    ['null origin', 'null'],
    ['bare wildcard domain', 'https://partner.example'],
    ['wildcard over http', 'http://shop.partner.example'],
    ['the wildcard entry itself, sent literally', 'https://*.partner.example'],
    ['a literal star below the wildcard', 'https://*.shop.partner.example'],
    ['malformed', 'https://app.example.com/path'],
    ['garbage', '::::'],
    ['trailing slash', 'https://app.example.com/'],
    // The wildcard entry written as an Origin is not a sub-domain of it.
    ['literal wildcard', 'https://*.partner.example'],
    ['wildcard-looking label', 'https://*x.partner.example'],
  ])('refuses %s with 403, no CORS headers, nothing executed', async (_name, origin) => {
    const before = t.logs().length;
    const r = await post(origin);
    expect(r.status).toBe(403);
    expect(r.json.errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(r.json.data).toBeUndefined();
    noCors(r.headers);
    // The request log line carries no operation: GraphQL never parsed it.
    expect(t.logs().slice(before)).not.toContain('"op"');
  });

  it('refuses a request with no Origin and no local token', async () => {
    const r = await post(undefined);
    expect(r.status).toBe(403);
    noCors(r.headers);
  });

  it('lets a local non-browser client in only with the data-dir token', async () => {
    const token = readFileSync(localTokenPath(t.dataDir), 'utf8').trim();
    const ok = await post(undefined, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.json.data.info.label).toBe('local');
    const wrong = await post(undefined, { authorization: `Bearer ${token.slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
  });

  it('answers preflights only for allowed origins, with the Private Network Access header when asked', async () => {
    const ok = await t.call({
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, t1c-tag',
        'access-control-request-private-network': 'true',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(ok.headers['access-control-allow-private-network']).toBe('true');
    expect(ok.headers['access-control-allow-headers']).toContain('t1c-tag');
    expect(ok.headers.vary).toBe('Origin');

    const noPna = await t.call({ method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(noPna.status).toBe(204);
    expect(noPna.headers['access-control-allow-private-network']).toBeUndefined();

    const bad = await t.call({
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' },
    });
    expect(bad.status).toBe(403);
    noCors(bad.headers);
  });

  it.each([
    ['text/plain', 'text/plain', 415],
    ['form', 'application/x-www-form-urlencoded', 415],
    // File uploads use multipart: accepted only with the GraphQL-Require-Preflight header.
    ['multipart', 'multipart/form-data; boundary=x', 400],
    ['no content type', '', 415],
  ])('never executes a "simple" POST (%s), even from an allowed origin', async (_n, ct, status) => {
    const mutation = gql('mutation { verifyPin(input: { readerId: "x", pin: "1234" }) { verified } }');
    const before = t.c.services.transactions.pendingCount();
    const r = await t.call({ body: mutation, headers: { origin: APP_ORIGIN, ...(ct ? { 'content-type': ct } : {}) } });
    expect(r.status).toBe(status);
    expect(r.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(t.c.services.transactions.pendingCount()).toBe(before);
    // and from a disallowed origin it is a 403 first
    const evil = await t.call({ body: mutation, headers: { origin: 'https://evil.test', 'content-type': 'text/plain' } });
    expect(evil.status).toBe(403);
  });

  it('never runs a mutation over GET', async () => {
    const q = encodeURIComponent('mutation { verifyPin(input: { readerId: "x", pin: "1234" }) { verified } }');
    const r = await t.call({ method: 'GET', path: `/graphql?query=${q}`, headers: { origin: APP_ORIGIN } });
    expect(r.status).toBe(405);
    const ok = await t.call({ method: 'GET', path: `/graphql?query=${encodeURIComponent(INFO)}`, headers: { origin: APP_ORIGIN } });
    expect(ok.status).toBe(200);
    expect(ok.json.data.info.label).toBe(APP_LABEL);
  });
});

describe('host guard (DNS rebinding)', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '[::1]'])('accepts Host %s with the right port', async (h) => {
    const r = await t.call({ host: `${h}:${t.port}`, body: gql(INFO), headers: { origin: APP_ORIGIN, 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
  });

  it.each([
    ['rebinding name', (p: number) => `attacker.example:${p}`],
    ['localhost subdomain', (p: number) => `evil.localhost:${p}`],
    ['other port', (p: number) => `localhost:${p + 1}`],
    ['no port', () => 'localhost'],
    ['other loopback-looking name', (p: number) => `127.0.0.1.nip.io:${p}`],
    ['userinfo trick', (p: number) => `localhost@evil.test:${p}`],
    ['two trailing dots', (p: number) => `localhost..:${p}`],
  ])('refuses %s with 421 before anything runs', async (_n, host) => {
    const r = await t.call({ host: host(t.port), body: gql(INFO), headers: { origin: APP_ORIGIN, 'content-type': 'application/json' } });
    expect(r.status).toBe(421);
    expect(r.json.errors[0].extensions.code).toBe('HOST_NOT_ALLOWED');
    noCors(r.headers);
  });
});

describe('repeated headers', () => {
  /** A raw HTTP/1.1 request over TLS: Node's client would not send a header twice. */
  const raw = (head: string, body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: t.port, servername: 'localhost', ca: t.ca }, () => {
        s.end(`${head}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      });
      let text = '';
      s.on('data', (c) => (text += c));
      s.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), text }));
      s.on('error', reject);
    });
  const request = (lines: string[]) =>
    `POST /graphql HTTP/1.1\r\n${lines.join('\r\n')}\r\ncontent-type: application/json\r\n`;

  it('answers one Host header and refuses two with 400, whichever comes first', async () => {
    const ok = await raw(request([`host: localhost:${t.port}`, `origin: ${APP_ORIGIN}`]), gql(INFO));
    expect(ok.status).toBe(200);
    for (const hosts of [[`localhost:${t.port}`, 'attacker.example'], ['attacker.example', `localhost:${t.port}`], [`localhost:${t.port}`, `localhost:${t.port}`]]) {
      const r = await raw(request([...hosts.map((h) => `host: ${h}`), `origin: ${APP_ORIGIN}`]), gql(INFO));
      expect(r.status).toBe(400);
      expect(r.text).toContain('"code":"BAD_REQUEST"');
      expect(r.text).not.toContain('"data"');
    }
  });

  it('refuses a repeated Origin, Authorization or T1C-Tag with 400', async () => {
    for (const lines of [
      [`origin: ${APP_ORIGIN}`, `origin: ${APP_ORIGIN}`],
      [`origin: ${APP_ORIGIN}`, 'authorization: Bearer a', 'authorization: Bearer b'],
      [`origin: ${APP_ORIGIN}`, 't1c-tag: a', 't1c-tag: b'],
    ]) {
      const r = await raw(request([`host: localhost:${t.port}`, ...lines]), gql(INFO));
      expect(r.status).toBe(400);
      expect(r.text).toContain('"code":"BAD_REQUEST"');
    }
  });
});

describe('limits', () => {
  it('refuses an oversized body with 413', async () => {
    const big = gql(`{ info { version } } # ${'x'.repeat(20_000)}`);
    const r = await post(APP_ORIGIN, {}, big);
    expect(r.status).toBe(413);
    expect(r.json.errors[0].extensions.code).toBe('BODY_TOO_LARGE');
  });

  it('refuses deep queries', async () => {
    const deep = `{ ${'__schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }'} }`;
    const r = await post(APP_ORIGIN, {}, gql(deep));
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses alias bombs', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: info { version }`).join(' ');
    const r = await post(APP_ORIGIN, {}, gql(`{ ${aliases} }`));
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses token floods', async () => {
    const fields = Array.from({ length: 1200 }, () => 'v').join(' ');
    const r = await post(APP_ORIGIN, {}, gql(`{ info { ${fields} } }`));
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('answers malformed GraphQL and JSON with BAD_REQUEST', async () => {
    const syntax = await post(APP_ORIGIN, {}, gql('{ info { version '));
    expect(syntax.status).toBe(400);
    expect(syntax.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const unknownField = await post(APP_ORIGIN, {}, gql('{ info { nope } }'));
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const json = await post(APP_ORIGIN, {}, '{"query": ');
    expect(json.status).toBe(400);
    expect(json.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const noQuery = await post(APP_ORIGIN, {}, '{"variables": {}}');
    expect(noQuery.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('tag', () => {
  it.each(['', 'has space', 'x'.repeat(65), 'semi;colon', 'ünï'])('refuses T1C-Tag %j with 400', async (tag) => {
    const r = await post(APP_ORIGIN, { 't1c-tag': tag });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('INVALID_TAG');
    expect(r.json.errors[0].message).toMatch(/T1C-Tag/);
  });

  it.each(['checkout', 'a', 'x'.repeat(64), 'team.page:v2_A-1'])('accepts T1C-Tag %j', async (tag) => {
    expect((await post(APP_ORIGIN, { 't1c-tag': tag })).status).toBe(200);
  });
});

describe('rate limit', () => {
  /**
   * `count` requests at once against a budget of `rate`/s with a burst of 2 x `rate`: the burst
   * always passes; past it only what refilled while they ran (measured, so a slow machine
   * cannot turn this into a timing test).
   */
  async function burst(send: (i: number) => Promise<Reply>, count: number, rate: number) {
    const t0 = performance.now();
    const replies = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
    const seconds = (performance.now() - t0) / 1000;
    const ok = replies.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(2 * rate);
    expect(ok).toBeLessThanOrEqual(2 * rate + Math.ceil(seconds * rate));
    expect(replies.filter((r) => r.status !== 200).every((r) => r.status === 429)).toBe(true);
    return replies.find((r) => r.status === 429);
  }

  it('limits each origin separately, with Retry-After and a stable code', async () => {
    const limited = await startTestConnector({
      rateLimit: 2,
      origins: [
        { origin: APP_ORIGIN, label: APP_LABEL },
        { origin: 'https://other.example', label: 'other' },
      ],
    });
    try {
      const refused = await burst(() => limited.query(INFO), 20, 2);
      expect(refused?.status).toBe(429);
      expect(refused!.json.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused!.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      const other = await limited.call({ body: gql(INFO), headers: { origin: 'https://other.example', 'content-type': 'application/json' } });
      expect(other.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts every sub-domain of a wildcard entry against that entry', async () => {
    const limited = await startTestConnector({
      rateLimit: 2,
      origins: [
        { origin: 'https://*.wild.test', label: 'wild' },
        { origin: APP_ORIGIN, label: APP_LABEL },
      ],
    });
    try {
      const from = (origin: string) => limited.call({ body: gql(INFO), headers: { origin, 'content-type': 'application/json' } });
      // One budget for the whole entry, whatever sub-domain asks.
      const refused = await burst((i) => from(`https://s${i}.wild.test`), 20, 2);
      expect(refused?.json.errors[0].extensions.code).toBe('RATE_LIMITED');
      // Another entry has its own budget.
      expect((await from(APP_ORIGIN)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
