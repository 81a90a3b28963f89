import { Value } from '@sinclair/typebox/value';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compileOriginEntry,
  isLabel,
  isTag,
  keyIdOf,
  LOOPBACK_NAMES,
  LOOPBACK_URL_HOSTS,
  OriginEntryError,
  OriginMatcher,
  parseOriginEntry,
  stringToSign,
  SyncRequest,
  SyncResponse,
  TOKEN_HTML_PATTERN,
  TOKEN_RE,
  USE_CASES,
} from '../src/index.js';

describe('labels and tags', () => {
  it.each(['shop', 'demo:identity', 'a.b_c-d', 'A'.repeat(64), '-1'])('accepts %j', (v) => {
    expect(isLabel(v)).toBe(true);
    expect(isTag(v)).toBe(true);
  });
  it.each(['', 'A'.repeat(65), 'a b', 'é', '<b>', 'a/b', '=1', null, 3])('refuses %j', (v) => {
    expect(isLabel(v)).toBe(false);
  });
  it('gives HTML forms the same rule (a pattern attribute matches the whole value, v flag)', () => {
    const html = new RegExp(`^(?:${TOKEN_HTML_PATTERN})$`, 'v');
    for (const v of ['shop', 'a:b.c_d-e', '-x', '', 'a b', 'x'.repeat(65), 'a\\b']) expect(html.test(v), v).toBe(TOKEN_RE.test(v));
  });
});

describe('origin entries', () => {
  it.each([
    ['https://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['https://app.example.com:8443', 'https://app.example.com:8443'],
    ['https://*.example.com', 'https://*.example.com'],
    ['https://*.Example.com:8443', 'https://*.example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('accepts %s as %s', (input, expected) => {
    const r = parseOriginEntry(input);
    expect(r.ok && r.value.origin).toBe(expected);
  });

  it.each([
    'http://app.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'https://app.example.com?q=1',
    'https://app.example.com#x',
    'https://user@app.example.com',
    'https://*.com',
    'http://*.localhost',
    'https://a.*.example.com',
    'https://*',
    'ftp://app.example.com',
    'app.example.com',
    'https://*.10.0.0.1',
    '',
  ])('refuses %j', (input) => {
    expect(parseOriginEntry(input).ok).toBe(false);
  });

  it('refuses an entry with a bad label or origin with a typed error', () => {
    expect(() => compileOriginEntry({ origin: 'https://a.example.com', label: 'a b' })).toThrow(OriginEntryError);
    expect(() => compileOriginEntry({ origin: 'https://a.example.com/x', label: 'shop' })).toThrow(/no path/);
    expect(new OriginEntryError('x').code).toBe('INVALID_ORIGIN_ENTRY');
  });
});

describe('matching a request Origin', () => {
  const m = new OriginMatcher([
    { origin: 'https://shop.example.com', label: 'shop' },
    { origin: 'https://*.wild.test', label: 'wild' },
    { origin: 'https://*.ports.test:8443', label: 'ports' },
    { origin: 'http://localhost:5173', label: 'dev' },
  ]);
  it.each([
    ['https://shop.example.com', 'shop'],
    ['https://a.wild.test', 'wild'],
    ['https://a.b.wild.test', 'wild'],
    ['https://x.ports.test:8443', 'ports'],
    ['http://localhost:5173', 'dev'],
  ])('gives %s the label %s', (origin, label) => {
    expect(m.labelFor(origin)).toBe(label);
  });
  it.each([
    'https://*.wild.test', // the entry itself, sent literally: a rule is not a name
    'https://*.a.wild.test',
    'https://wild.test', // never the bare domain
    'https://evilwild.test',
    'http://a.wild.test',
    'https://x.ports.test',
    'https://x.ports.test:9443',
    'https://shop.example.com/',
    'https://SHOP.example.com',
    'https://shop.example.com:443',
    'null',
    'https://shop.example.com.evil.test',
    `https://${'a'.repeat(2100)}.wild.test`,
  ])('refuses %j', (origin) => {
    expect(m.labelFor(origin)).toBeUndefined();
  });
});

describe('request signature and loopback names', () => {
  it('signs method, path, timestamp and the base64 SHA-256 of the body, joined by LF', () => {
    const body = '{"a":1}';
    const hash = createHash('sha256').update(body).digest('base64');
    expect(stringToSign('post', '/v1/sync', '1764337500123', body).toString()).toBe(`POST\n/v1/sync\n1764337500123\n${hash}`);
    expect(stringToSign('POST', '/v1/sync', '1', Buffer.from(body))).toEqual(stringToSign('POST', '/v1/sync', '1', body));
  });
  it('names a key by the SHA-256 of its SubjectPublicKeyInfo', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(keyIdOf(der)).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyIdOf(der)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('has the loopback names in both spellings', () => {
    expect([...LOOPBACK_NAMES].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect([...LOOPBACK_URL_HOSTS].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
  });
});

describe('schemas', () => {
  it('requests are strict JSON schema with the use cases as one enum', () => {
    expect(SyncRequest.additionalProperties).toBe(false);
    expect(SyncRequest.properties.transactions.items.properties.useCase).toMatchObject({ type: 'string', enum: [...USE_CASES] });
    expect(SyncRequest.properties.transactions.items.properties.tag).toMatchObject({ type: ['string', 'null'] });
  });
  it('checks a sync answer', () => {
    const answer = {
      ack: ['a'],
      cors: { version: 4, entries: [{ origin: 'https://*.example.com', label: 'shop' }] },
      config: { version: 1, dsCycleSeconds: 3600, logLevel: 'debug' },
      nextSyncAfterSeconds: 3600,
      serverTime: '2025-11-28T13:45:00.000Z',
      later: 'a newer DS may add fields',
    };
    expect(Value.Check(SyncResponse, answer)).toBe(true);
    expect(Value.Check(SyncResponse, { ...answer, ack: 'a' })).toBe(false);
    expect(Value.Check(SyncResponse, { ...answer, config: { version: 1, logLevel: 'loud' } })).toBe(false);
    expect(Value.Check(SyncResponse, { ...answer, cors: { unchanged: true } })).toBe(false);
  });
});
