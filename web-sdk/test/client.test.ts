import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, createConnector, DEFAULT_URL, type BeidReadResult, type Identity, type Photo } from '../src/index.js';
import { eventStream, fakeFetch, json, tick, type FakeRequest } from './helpers/fake-fetch.js';
import { rejection } from './helpers/rejection.js';

const INFO = { name: 'cardlink-connector', version: '0.1.0', apiVersion: '1.0.0', os: 'linux', arch: 'x64', uptimeSeconds: 5, label: 'demo-app', pcscAvailable: true, managed: false, deviceId: null };
const READER = { id: 'r1', name: 'Reader 1', card: { atr: '3B98', module: 'BEID', description: 'Belgian eID' } };

/** A fake connector answering from a table of operation name → data. */
function connectorFake(data: Record<string, (vars: any) => unknown> = {}) {
  return fakeFetch((req: FakeRequest) => {
    const op = req.body?.operationName as string;
    const make = data[op];
    if (!make) return json({ errors: [{ message: `unexpected ${op}`, extensions: { code: 'BAD_REQUEST' } }] }, 400);
    return json({ data: make(req.body.variables) });
  });
}

const rejected = rejection;

afterEach(() => vi.unstubAllGlobals());

describe('requests', () => {
  it('POSTs JSON to https://localhost:51983/graphql by default, without a tag header', async () => {
    const f = connectorFake({ Info: () => ({ info: INFO }) });
    const c = createConnector({ fetch: f.fetch });
    expect(c.url).toBe(DEFAULT_URL);
    expect(await c.info()).toEqual(INFO);
    const [req] = f.calls;
    expect(req).toMatchObject({ url: 'https://localhost:51983/graphql', method: 'POST' });
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['t1c-tag']).toBeUndefined();
    expect(req!.body).toMatchObject({ operationName: 'Info', query: expect.stringMatching(/^query Info \{\s*info \{/) });
  });

  it('uses the global fetch at call time when none is given', async () => {
    const f = connectorFake({ Readers: () => ({ readers: [READER] }) });
    const c = createConnector();
    vi.stubGlobal('fetch', f.fetch);
    expect(await c.readers()).toEqual([READER]);
    expect(f.calls).toHaveLength(1);
  });

  it('accepts a base URL with a trailing slash or /graphql', () => {
    expect(createConnector({ url: 'https://localhost:4443/' }).url).toBe('https://localhost:4443');
    expect(createConnector({ url: 'https://localhost:4443/graphql' }).url).toBe('https://localhost:4443');
  });

  it('sends the tag as T1C-Tag; setTag changes or drops it', async () => {
    const f = connectorFake({ Info: () => ({ info: INFO }) });
    const c = createConnector({ fetch: f.fetch, tag: 'checkout' });
    await c.info();
    c.setTag('profile:v2_1.x-y');
    await c.info();
    c.setTag(null);
    await c.info();
    expect(f.calls.map((r) => r.headers['t1c-tag'])).toEqual(['checkout', 'profile:v2_1.x-y', undefined]);
    expect(c.tag).toBeNull();
  });

  it('sends one T1C-Session id per page load on every request, whatever the connector instance', async () => {
    const f = connectorFake({ Info: () => ({ info: INFO }) });
    await createConnector({ fetch: f.fetch }).info();
    await createConnector({ fetch: f.fetch, tag: 'x' }).info();
    const ids = f.calls.map((r) => r.headers['t1c-session']);
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('refuses a malformed tag with INVALID_TAG before any request', () => {
    const f = connectorFake();
    for (const bad of ['', 'has space', 'ü', 'a'.repeat(65), 'semi;colon']) {
      expect(() => createConnector({ fetch: f.fetch, tag: bad })).toThrow(expect.objectContaining({ code: 'INVALID_TAG' }));
      const c = createConnector({ fetch: f.fetch, tag: 'ok' });
      expect(() => c.setTag(bad)).toThrow(ConnectorError);
      expect(c.tag).toBe('ok');
    }
    expect(createConnector({ tag: 'a'.repeat(64) }).tag).toHaveLength(64);
    expect(f.calls).toHaveLength(0);
  });

  it('transactions: Dates become ISO strings, absent bounds null, invalid dates refused locally', async () => {
    const summary = { label: 'demo-app', total: 2, counts: [{ useCase: 'IDENTITY_READ', tag: 'x', count: 2 }] };
    const f = connectorFake({ Transactions: () => ({ transactions: summary }) });
    const c = createConnector({ fetch: f.fetch });
    expect(await c.transactions()).toEqual(summary);
    await c.transactions({ from: new Date('2026-01-01T00:00:00Z'), to: '2026-12-31T23:59:59.000Z' });
    expect(f.calls.map((r) => r.body.variables)).toEqual([
      { from: null, to: null },
      { from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T23:59:59.000Z' },
    ]);
    expect((await rejected(c.transactions({ from: new Date('nope') }))).code).toBe('INVALID_INPUT');
    expect(f.calls).toHaveLength(2);
  });
});

describe('beid', () => {
  const IDENTITY = { surname: 'Specimen', firstNames: 'Alice' } as unknown as Identity;
  const PHOTO: Photo = { mimeType: 'image/jpeg', base64: '/9j/', size: 3 };

  it('read() sends one request selecting only the asked parts', async () => {
    const f = connectorFake({
      BeidRead: (v) => ({ beid: { ...(v.identity ? { identity: IDENTITY } : {}), ...(v.photo ? { photo: PHOTO } : {}), ...(v.integrity ? { integrity: { identity: true, address: true, photo: true } } : {}) } }),
    });
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    const r = await card.read({ identity: true, photo: true, integrity: true });
    // The result type has exactly the asked parts.
    const typed: BeidReadResult<{ identity: true; photo: true; integrity: true }> = r;
    expect(typed).toEqual({ identity: IDENTITY, photo: PHOTO, integrity: { identity: true, address: true, photo: true } });
    // Parts not asked for are not in the type; parts asked with a non-literal boolean are optional.
    // @ts-expect-error address was not selected
    void r.address;
    const maybe = (flag: boolean) => card.read({ identity: true, address: flag });
    type Maybe = Awaited<ReturnType<typeof maybe>>;
    const m: Maybe = { identity: IDENTITY };
    void [m, maybe];
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.body.variables).toEqual({
      readerId: 'r1', identity: true, address: false, photo: true, certificates: false, integrity: true, algorithms: false, appletVersion: false, pinTriesLeft: false,
    });
    expect(f.calls[0]!.body.query).toMatch(/identity @include\(if: \$identity\)/);
  });

  it('each single-part call selects its one part', async () => {
    const parts = ['identity', 'address', 'photo', 'certificates', 'integrity', 'algorithms', 'appletVersion', 'pinTriesLeft'] as const;
    const f = connectorFake({ BeidRead: (v) => ({ beid: Object.fromEntries(parts.filter((p) => v[p]).map((p) => [p, `value of ${p}`])) }) });
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    for (const p of parts) {
      expect(await card[p]()).toBe(`value of ${p}`);
      const flags = f.calls.at(-1)!.body.variables;
      expect(parts.filter((q) => flags[q])).toEqual([p]);
    }
  });

  it('read() with nothing selected and beid() without a reader id are INVALID_INPUT, without a request', async () => {
    const f = connectorFake();
    const c = createConnector({ fetch: f.fetch });
    expect((await rejected(c.beid('r1').read({}))).code).toBe('INVALID_INPUT');
    expect((await rejected(c.beid('r1').read({ identity: false })))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => c.beid('')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(f.calls).toHaveLength(0);
  });

  it('verifyPin and changePin send typed inputs; allowLastTry defaults to false', async () => {
    const f = connectorFake({ VerifyPin: () => ({ verifyPin: { verified: true, retriesLeft: 3 } }), ChangePin: () => ({ changePin: { verified: true, retriesLeft: 3 } }) });
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    expect(await card.verifyPin('1234')).toEqual({ verified: true, retriesLeft: 3 });
    await card.verifyPin('123456789012', { allowLastTry: true });
    await card.changePin('1234', '5678');
    expect(f.calls.map((r) => [r.body.operationName, r.body.variables.input])).toEqual([
      ['VerifyPin', { readerId: 'r1', pin: '1234', operation: null, allowLastTry: false }],
      ['VerifyPin', { readerId: 'r1', pin: '123456789012', operation: null, allowLastTry: true }],
      ['ChangePin', { readerId: 'r1', oldPin: '1234', newPin: '5678', operation: null, allowLastTry: false }],
    ]);
  });

  it('PINs that are not 4-12 digits are INVALID_INPUT, without a request', async () => {
    const f = connectorFake();
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    for (const bad of ['', '123', '1234567890123', '12a4', ' 1234', '１２３４', null as unknown as string]) {
      expect((await rejected(card.verifyPin(bad))).code).toBe('INVALID_INPUT');
      expect((await rejected(card.changePin('1234', bad))).code).toBe('INVALID_INPUT');
      expect((await rejected(card.changePin(bad, '1234'))).code).toBe('INVALID_INPUT');
      expect((await rejected(card.sign({ algorithm: 'ECDSA_SHA256', hash: 'AAAA', pin: bad })).then((e) => e.code))).toBe('INVALID_INPUT');
    }
    expect(f.calls).toHaveLength(0);
  });

  it('sign and authenticate take the hash as bytes, ArrayBuffer, a view into a larger buffer, or base64', async () => {
    const result = { algorithm: 'ECDSA_SHA256', signature: 'c2ln', certificate: '-----BEGIN CERTIFICATE-----' };
    const f = connectorFake({ Sign: () => ({ sign: result }), Authenticate: () => ({ authenticate: result }) });
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 200);
    const b64 = Buffer.from(bytes).toString('base64');
    const big = new Uint8Array(40);
    big.set(bytes, 5);
    expect(await card.sign({ algorithm: 'ECDSA_SHA256', hash: bytes, pin: '1234' })).toEqual(result);
    await card.sign({ algorithm: 'ECDSA_SHA256', hash: bytes.buffer, pin: '1234' });
    await card.sign({ algorithm: 'ECDSA_SHA256', hash: big.subarray(5, 37), pin: '1234', allowLastTry: true });
    await card.sign({ algorithm: 'ECDSA_SHA256', hash: b64, pin: '1234' });
    expect(await card.authenticate({ algorithm: 'ECDSA_SHA256', hash: new DataView(bytes.buffer), pin: '1234' })).toEqual(result);
    const inputs = f.calls.map((r) => r.body.variables.input);
    expect(inputs.map((i) => i.hash)).toEqual([b64, b64, b64, b64, b64]);
    expect(inputs.map((i) => [i.readerId, i.algorithm, i.pin, i.allowLastTry])).toEqual([
      ['r1', 'ECDSA_SHA256', '1234', false],
      ['r1', 'ECDSA_SHA256', '1234', false],
      ['r1', 'ECDSA_SHA256', '1234', true],
      ['r1', 'ECDSA_SHA256', '1234', false],
      ['r1', 'ECDSA_SHA256', '1234', false],
    ]);
    expect(f.calls.map((r) => r.body.operationName)).toEqual(['Sign', 'Sign', 'Sign', 'Sign', 'Authenticate']);
  });

  it('a hash that is empty or not base64 is INVALID_INPUT, without a request', async () => {
    const f = connectorFake();
    const card = createConnector({ fetch: f.fetch }).beid('r1');
    for (const hash of ['', 'not base64!', 'abc', new Uint8Array(0), new ArrayBuffer(0), 42 as unknown as string]) {
      expect((await rejected(card.sign({ algorithm: 'RSA_PKCS1_SHA256', hash, pin: '1234' }))).code).toBe('INVALID_INPUT');
    }
    expect(f.calls).toHaveLength(0);
  });
});

describe("the connector's page (PIN entry, consent)", () => {
  const result = { algorithm: 'ECDSA_SHA256', signature: 'c2ln', certificate: '-----BEGIN CERTIFICATE-----' };
  function popups(open = true) {
    const opened: { url: string; closed: boolean; close(): void }[] = [];
    return {
      opened,
      openWindow: (url: string) => {
        if (!open) return null;
        const w = { url, closed: false, close: () => void (w.closed = true) };
        opened.push(w);
        return w;
      },
    };
  }

  it('sign without a PIN opens /pin?op=<id> first, sends the same id and no PIN, and closes the page after', async () => {
    const p = popups();
    const f = connectorFake({ Sign: () => ({ sign: result }), VerifyPin: () => ({ verifyPin: { verified: true, retriesLeft: 3 } }) });
    const card = createConnector({ fetch: f.fetch, openWindow: p.openWindow, url: 'https://localhost:4444' }).beid('r1');
    const hash = new Uint8Array(32).fill(1);
    expect(await card.sign({ algorithm: 'ECDSA_SHA256', hash, documentName: 'a.pdf' })).toEqual(result);
    expect(p.opened).toHaveLength(1);
    const op = new URL(p.opened[0]!.url).searchParams.get('op')!;
    expect(p.opened[0]!.url).toBe(`https://localhost:4444/pin?op=${op}`);
    expect(op).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.calls[0]!.body.variables.input).toMatchObject({ operation: op, pin: null, documentName: 'a.pdf' });
    expect(p.opened[0]!.closed).toBe(true);
    // A fresh id every time.
    await card.verifyPin();
    expect(new URL(p.opened[1]!.url).searchParams.get('op')).not.toBe(op);
  });

  it('a blocked popup is POPUP_BLOCKED, without a request', async () => {
    const f = connectorFake();
    const card = createConnector({ fetch: f.fetch, openWindow: popups(false).openWindow }).beid('r1');
    expect((await rejected(card.sign({ algorithm: 'ECDSA_SHA256', hash: new Uint8Array(32) }))).code).toBe('POPUP_BLOCKED');
    expect((await rejected(card.changePin())).code).toBe('POPUP_BLOCKED');
    expect(f.calls).toHaveLength(0);
  });

  it('the user closing the page is USER_CANCELLED and aborts the request', async () => {
    const p = popups();
    let signal: AbortSignal | undefined;
    const never = (_u: unknown, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>(() => {});
    };
    const c = createConnector({ fetch: never as typeof fetch, openWindow: p.openWindow });
    const pending = c.requestConsent();
    expect(p.opened[0]!.url).toMatch(/\/consent\?op=/);
    p.opened[0]!.closed = true;
    expect((await rejected(pending)).code).toBe('USER_CANCELLED');
    expect(signal?.aborted).toBe(true);
  });
});

describe('onReaderEvent', () => {
  it('POSTs the subscription asking for text/event-stream and calls back once per event until unsubscribed', async () => {
    const es = eventStream();
    let signal: AbortSignal | undefined;
    const f = fakeFetch((req) => {
      signal = req.signal;
      req.signal?.addEventListener('abort', () => es.fail(new DOMException('aborted', 'AbortError')));
      return es.response;
    });
    const c = createConnector({ fetch: f.fetch, tag: 'live' });
    const events: unknown[] = [];
    const errors: unknown[] = [];
    const off = c.onReaderEvent((e) => events.push(e), (e) => errors.push(e));
    const ev = (type: string) => ({ type, at: '2026-11-28T13:35:00.000Z', reader: READER });
    es.send(`event: next\ndata: ${JSON.stringify({ data: { readerEvents: ev('CARD_INSERTED') } })}\n\n:\n\nevent: ne`);
    es.send(`xt\ndata: ${JSON.stringify({ data: { readerEvents: ev('CARD_REMOVED') } })}\n`);
    es.send('\n');
    for (let i = 0; i < 100 && events.length < 2; i++) await tick(2);
    expect(events).toEqual([ev('CARD_INSERTED'), ev('CARD_REMOVED')]);
    const [req] = f.calls;
    expect(req).toMatchObject({ url: 'https://localhost:51983/graphql', method: 'POST' });
    expect(req!.headers).toMatchObject({ accept: 'text/event-stream', 'content-type': 'application/json', 't1c-tag': 'live' });
    expect(req!.body).toEqual({ query: expect.stringMatching(/^\s*subscription ReaderEvents/), operationName: 'ReaderEvents', variables: {} });
    off();
    expect(signal!.aborted).toBe(true);
    await tick(10);
    expect(errors).toEqual([]);
  });

  it('unsubscribing before the connector answers reports nothing', async () => {
    let release!: () => void;
    const f = fakeFetch(
      (req) =>
        new Promise<Response>((_resolve, reject) => {
          release = () => reject(new DOMException('aborted', 'AbortError'));
          req.signal?.addEventListener('abort', () => release());
        }),
    );
    const errors: unknown[] = [];
    const off = createConnector({ fetch: f.fetch }).onReaderEvent(() => {}, (e) => errors.push(e));
    await tick();
    off();
    await tick(10);
    expect(errors).toEqual([]);
    expect(f.probes).toHaveLength(0);
  });
});
