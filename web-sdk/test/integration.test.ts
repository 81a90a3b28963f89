// The SDK against a real connector started in-process (HTTPS with its own CA, the full guarded
// request path), with the in-process virtual BeID card (`--virtual-card 1.8`). Every connector
// here uses the in-process reader, so these tests never touch pcscd and the vpcd readers that
// the PC/SC suites use.
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { APP_LABEL, APP_ORIGIN, startTestConnector, type TestConnector } from '../../connector/test/helpers/test-connector.js';
import { ConnectorError, createConnector, type ConnectorOptions, type ReaderEvent } from '../src/index.js';
import { rejection } from './helpers/rejection.js';

/**
 * Node's fetch with the connector's CA trusted, standing in for a browser on `origin`: Node
 * has no CORS, so the page's Origin header is added here (`null` sends none).
 */
function browserLikeFetch(ca: string | undefined, origin: string | null = APP_ORIGIN, override: Record<string, string> = {}): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  return ((input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (origin) headers.set('origin', origin);
    for (const [k, v] of Object.entries(override)) headers.set(k, v);
    return undiciFetch(input as string, { ...(init as object), headers, dispatcher } as never);
  }) as unknown as typeof fetch;
}

const sdk = (t: TestConnector, opts: ConnectorOptions & { origin?: string | null; override?: Record<string, string> } = {}) => {
  const { origin = APP_ORIGIN, override, ...rest } = opts;
  return createConnector({ url: `https://localhost:${t.port}`, fetch: browserLikeFetch(t.ca, origin, override), ...rest });
};

const failure = rejection;

const PIN = '1234';

let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector({ virtualCard: '1.8' });
});
afterAll(() => t?.close());

describe('queries against a running connector', () => {
  it('info()', async () => {
    const info = await sdk(t).info();
    expect(info).toMatchObject({ name: expect.any(String), version: expect.any(String), apiVersion: expect.stringMatching(/^\d+\.\d+/), label: APP_LABEL, managed: false });
    expect(typeof info.uptimeSeconds).toBe('number');
  });

  it('readers() shows the virtual reader with a BeID card', async () => {
    const readers = await sdk(t).readers();
    expect(readers).toEqual([{ id: expect.any(String), name: expect.stringMatching(/Virtual/), card: { atr: expect.stringMatching(/^[0-9A-F]+$/), module: 'BEID', description: expect.anything() } }]);
  });

  it('transactions() counts this label\'s use cases by tag', async () => {
    const c = sdk(t, { tag: 'sdk-it' });
    const [reader] = await c.readers();
    await c.beid(reader!.id).identity();
    const summary = await c.transactions({ from: new Date(Date.now() - 60_000) });
    expect(summary.label).toBe(APP_LABEL);
    expect(summary.counts).toContainEqual({ useCase: 'IDENTITY_READ', tag: 'sdk-it', count: 1 });
    expect(summary.total).toBeGreaterThanOrEqual(1);
    expect((await c.transactions({ to: new Date(Date.now() - 3_600_000) })).total).toBe(0);
  });
});

describe('the virtual BeID card through the SDK', () => {
  let readerId: string;
  beforeAll(async () => {
    readerId = (await sdk(t).readers())[0]!.id;
  });

  it('read() returns any mix of parts in one request, with integrity', async () => {
    const r = await sdk(t).beid(readerId).read({ identity: true, address: true, photo: true, integrity: true, appletVersion: true });
    expect(Object.keys(r).sort()).toEqual(['address', 'appletVersion', 'identity', 'integrity', 'photo']);
    expect(r.identity).toMatchObject({ surname: 'Specimen', documentType: 'BELGIAN_CITIZEN' });
    expect(r.address.municipality).toEqual(expect.any(String));
    expect(r.photo.mimeType).toBe('image/jpeg');
    expect(Buffer.from(r.photo.base64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(r.integrity).toEqual({ identity: true, address: true, photo: true });
    expect(r.appletVersion).toBe('1.8');
  });

  it('certificates(), algorithms(), pinTriesLeft()', async () => {
    const card = sdk(t).beid(readerId);
    const certs = await card.certificates();
    expect(certs.authentication?.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(certs.nonRepudiation?.publicKeyAlgorithm).toMatch(/^EC-/);
    expect(await card.algorithms()).toContain('ECDSA_SHA256');
    expect(await card.pinTriesLeft()).toBe(3);
  });

  it('verifyPin(): right PIN, then a wrong one gives PIN_INCORRECT with retriesLeft', async () => {
    const card = sdk(t).beid(readerId);
    expect(await card.verifyPin(PIN)).toEqual({ verified: true, retriesLeft: 3 });
    const wrong = await failure(card.verifyPin('9999'));
    expect(wrong).toMatchObject({ code: 'PIN_INCORRECT', retriesLeft: 2 });
    expect(await card.verifyPin(PIN)).toEqual({ verified: true, retriesLeft: 3 });
  });

  it('sign() and authenticate(): the signatures verify against the returned certificates', async () => {
    const card = sdk(t).beid(readerId);
    const data = Buffer.from('document to sign');
    const hash = createHash('sha256').update(data).digest();
    const signed = await card.sign({ algorithm: 'ECDSA_SHA256', hash: new Uint8Array(hash), pin: PIN });
    expect(signed.algorithm).toBe('ECDSA_SHA256');
    const key = new X509Certificate(signed.certificate).publicKey;
    expect(verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.signature, 'base64'))).toBe(true);

    const challenge = randomBytes(32);
    const auth = await card.authenticate({ algorithm: 'ECDSA_SHA384', hash: createHash('sha384').update(challenge).digest().toString('base64'), pin: PIN });
    const authKey = new X509Certificate(auth.certificate).publicKey;
    expect(verify('sha384', challenge, { key: authKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(auth.signature, 'base64'))).toBe(true);
    expect(auth.certificate).not.toBe(signed.certificate);
  });

  it('typed card errors: an unsupported algorithm, a hash of the wrong length, an unknown reader', async () => {
    const card = sdk(t).beid(readerId);
    expect((await failure(card.sign({ algorithm: 'RSA_PKCS1_SHA256', hash: randomBytes(32), pin: PIN }))).code).toBe('ALGORITHM_NOT_SUPPORTED');
    expect((await failure(card.sign({ algorithm: 'ECDSA_SHA256', hash: randomBytes(7), pin: PIN }))).code).toBe('INVALID_INPUT');
    expect((await failure(sdk(t).beid('no-such-reader').identity())).code).toBe('READER_NOT_FOUND');
  });

  it('onReaderEvent(): card removed and inserted, live over SSE; unsubscribe ends the stream', async () => {
    const readers = t.c.services.readers as unknown as { card: unknown; remove(): void; insert(card: unknown): void; events: { listeners: Set<unknown> } };
    const card = readers.card;
    const listeners = () => readers.events.listeners.size;
    const before = listeners();
    const events: ReaderEvent[] = [];
    const errors: ConnectorError[] = [];
    const off = sdk(t, { tag: 'events' }).onReaderEvent((e) => events.push(e), (e) => errors.push(e));
    try {
      for (let i = 0; i < 100 && listeners() === before; i++) await new Promise((r) => setTimeout(r, 10));
      expect(listeners()).toBe(before + 1); // the subscription is live on the connector
      readers.remove();
      readers.insert(card);
      for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.map((e) => [e.type, e.reader.id === readerId, e.reader.card?.module ?? null])).toEqual([
        ['CARD_REMOVED', true, null],
        ['CARD_INSERTED', true, 'BEID'],
      ]);
      expect(new Date(events[0]!.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      off();
    }
    // Unsubscribing aborts the request: the connector drops its subscriber.
    for (let i = 0; i < 100 && listeners() !== before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(listeners()).toBe(before);
    expect(errors).toEqual([]);
  });
});

describe('errors from a running connector', () => {
  it('an origin that is not allowed: ORIGIN_NOT_ALLOWED (403 body readable in Node)', async () => {
    const e = await failure(sdk(t, { origin: 'https://evil.example' }).info());
    expect(e).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', status: 403 });
    const none = await failure(sdk(t, { origin: null }).readers());
    expect(none).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', status: 403 });
  });

  it('an origin that is not allowed cannot subscribe either', async () => {
    const err = await new Promise<ConnectorError>((resolve) => sdk(t, { origin: 'https://evil.example' }).onReaderEvent(() => {}, resolve));
    expect(err).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', status: 403 });
  });

  it('a bad tag: refused by the SDK before sending, and by the connector when it gets through', async () => {
    expect(() => sdk(t, { tag: 'bad tag!' })).toThrow(expect.objectContaining({ code: 'INVALID_TAG' }));
    const e = await failure(sdk(t, { override: { 't1c-tag': 'bad tag!' } }).info());
    expect(e).toMatchObject({ code: 'INVALID_TAG', status: 400 });
  });

  it('rate limited: RATE_LIMITED with retryAfterSeconds', async () => {
    const limited = await startTestConnector({ rateLimit: 1, virtualCard: '1.8' });
    try {
      const c = sdk(limited);
      // One after the other: identical queries in flight at once share one request.
      const refused: ConnectorError[] = [];
      for (let i = 0; i < 4; i++) await c.info().catch((e: ConnectorError) => refused.push(e));
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: expect.any(Number) });
      expect(refused[0]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('a request body over the limit: BODY_TOO_LARGE with the limit', async () => {
    const small = await startTestConnector({ maxBodyBytes: 2048, virtualCard: '1.8' });
    try {
      const e = await failure(sdk(small).beid('any').sign({ algorithm: 'ECDSA_SHA256', hash: randomBytes(4096), pin: PIN }));
      expect(e).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413, details: { limit: 2048 } });
    } finally {
      await small.close();
    }
  });

  it('a stopped connector: CONNECTOR_UNREACHABLE with the likely causes, for queries and subscriptions', async () => {
    const gone = await startTestConnector({ virtualCard: '1.8' });
    const c = sdk(gone);
    expect((await c.info()).label).toBe(APP_LABEL);
    await gone.close();
    const e = await failure(c.info());
    expect(e.code).toBe('CONNECTOR_UNREACHABLE');
    expect(e.message).toContain(`https://localhost:${gone.port}`);
    expect(e.message).toMatch(/connector trust/);
    const sub = await new Promise<ConnectorError>((resolve) => c.onReaderEvent(() => {}, resolve));
    expect(sub.code).toBe('CONNECTOR_UNREACHABLE');
  });

  it('an untrusted certificate looks the same as a stopped connector: CONNECTOR_UNREACHABLE', async () => {
    // Only the system's CAs: the connector's own CA is not trusted.
    const other = createConnector({ url: `https://localhost:${t.port}`, fetch: browserLikeFetch(undefined) });
    expect((await failure(other.info())).code).toBe('CONNECTOR_UNREACHABLE');
  });
});
