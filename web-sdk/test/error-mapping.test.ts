import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, createConnector, isConnectorError, type ConnectorErrorCode, type ErrorCode } from '../src/index.js';
import { fromGraphQLErrors, fromHttpStatus } from '../src/errors.js';
import { eventStream, fakeFetch, gqlError, json, tick, type Handler } from './helpers/fake-fetch.js';

// Every ErrorCode of the schema (the single source of truth), read from the SDL itself.
const SDL = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
const ERROR_CODES = [.../enum ErrorCode \{([^}]*)\}/.exec(SDL)![1]!.matchAll(/^\s*([A-Z_]+)\s*$/gm)].map((m) => m[1]) as ErrorCode[];
// The statuses the connector uses for requests refused before GraphQL runs (connector/src/errors.ts).
const STATUS: Partial<Record<ErrorCode, number>> = {
  HOST_NOT_ALLOWED: 421, ORIGIN_NOT_ALLOWED: 403, INVALID_TAG: 400, BODY_TOO_LARGE: 413, BAD_REQUEST: 400, QUERY_TOO_COMPLEX: 400, RATE_LIMITED: 429,
};

/** Run `info()` against a scripted connector and return what it threw. */
async function failure(handler: Handler, opts: { probe?: 'opaque' | 'reject' } = {}): Promise<{ error: ConnectorError; posts: number; probes: number }> {
  const f = fakeFetch((req) => {
    if (req.mode === 'no-cors') {
      if (opts.probe === 'opaque') return new Response(null); // a browser gives an opaque response (status 0)
      throw new TypeError('Failed to fetch');
    }
    return handler(req);
  });
  const c = createConnector({ fetch: f.fetch });
  const error = await c.info().then(
    () => {
      throw new Error('expected a ConnectorError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return { error: error as ConnectorError, posts: f.posts.length, probes: f.probes.length };
}

const expectCode = (e: ConnectorError, code: ConnectorErrorCode, rest: Partial<ConnectorError> = {}) =>
  expect({ code: e.code, ...Object.fromEntries(Object.keys(rest).map((k) => [k, e[k as keyof ConnectorError]])) }).toEqual({ code, ...rest });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('GraphQL error codes', () => {
  it('reads the whole ErrorCode enum from the schema', () => {
    expect(ERROR_CODES.length).toBeGreaterThanOrEqual(27);
    expect(ERROR_CODES).toContain('PIN_INCORRECT');
  });

  it.each(ERROR_CODES)('%s in extensions.code becomes ConnectorError.code, with the connector message and HTTP status', async (code) => {
    const status = STATUS[code] ?? 200;
    const { error, probes } = await failure(() => json({ ...gqlError(code, `The connector says ${code}.`), ...(status === 200 ? { data: null } : {}) }, status));
    expectCode(error, code, { message: `The connector says ${code}.`, status, name: 'ConnectorError' });
    expect(probes).toBe(0);
  });

  it('PIN_INCORRECT carries retriesLeft; PIN_LAST_TRY_REFUSED and PIN_BLOCKED too', async () => {
    for (const [code, left] of [['PIN_INCORRECT', 2], ['PIN_LAST_TRY_REFUSED', 1], ['PIN_BLOCKED', 0]] as const) {
      const { error } = await failure(() => json({ data: null, errors: [{ message: 'Wrong PIN.', path: ['verifyPin'], extensions: { code, retriesLeft: left } }] }));
      expectCode(error, code, { retriesLeft: left, retryAfterSeconds: undefined, details: undefined });
    }
  });

  it('keeps other extensions as details', async () => {
    const { error } = await failure(() => json(gqlError('BODY_TOO_LARGE', 'Request body exceeds 100 bytes.', { limit: 100 }), 413));
    expectCode(error, 'BODY_TOO_LARGE', { status: 413, details: { limit: 100 }, message: 'Request body exceeds 100 bytes.' });
  });

  it('uses the first error that has a code, and throws even when partial data came along', async () => {
    const { error } = await failure(() =>
      json({ data: { info: null }, errors: [{ message: 'no code' }, { message: 'removed', extensions: { code: 'CARD_REMOVED' } }] }),
    );
    expectCode(error, 'CARD_REMOVED', { message: 'removed' });
  });

  it('an error without any code: the status decides, else INVALID_RESPONSE', async () => {
    expectCode((await failure(() => json({ data: null, errors: [{ message: 'x' }] }))).error, 'INVALID_RESPONSE');
    expectCode((await failure(() => json({ errors: [{ message: 'x' }] }, 403))).error, 'ORIGIN_NOT_ALLOWED');
    expectCode((await failure(() => json({ errors: [{ message: 'x' }] }, 500))).error, 'INTERNAL');
  });
});

describe('HTTP refusals', () => {
  it('403 origin not allowed (readable body, as in Node or a same-origin page)', async () => {
    const { error, probes } = await failure(() => json(gqlError('ORIGIN_NOT_ALLOWED', 'This web origin is not allowed to use the connector.'), 403));
    expectCode(error, 'ORIGIN_NOT_ALLOWED', { status: 403, message: 'This web origin is not allowed to use the connector.' });
    expect(probes).toBe(0);
  });

  it('400 invalid tag and bad request bodies', async () => {
    expectCode((await failure(() => json(gqlError('INVALID_TAG'), 400))).error, 'INVALID_TAG', { status: 400 });
    expectCode((await failure(() => json(gqlError('BAD_REQUEST', 'Body is not valid JSON.'), 400))).error, 'BAD_REQUEST', { message: 'Body is not valid JSON.' });
  });

  it('413 body too large, with a JSON body or without one', async () => {
    expectCode((await failure(() => json(gqlError('BODY_TOO_LARGE', 'too big', { limit: 262144 }), 413))).error, 'BODY_TOO_LARGE', {
      status: 413,
      details: { limit: 262144 },
    });
    const html = await failure(() => new Response('<html>Payload Too Large</html>', { status: 413, statusText: 'Payload Too Large', headers: { 'content-type': 'text/html' } }));
    expectCode(html.error, 'BODY_TOO_LARGE', { status: 413 });
  });

  it('429 rate limited: retryAfterSeconds from extensions, else from the Retry-After header (seconds or date)', async () => {
    const body = await failure(() => json(gqlError('RATE_LIMITED', 'Too many requests from this origin.', { retryAfterSeconds: 3 }), 429, { 'retry-after': '3' }));
    expectCode(body.error, 'RATE_LIMITED', { status: 429, retryAfterSeconds: 3, details: undefined });
    const header = await failure(() => json(gqlError('RATE_LIMITED'), 429, { 'retry-after': '7' }));
    expectCode(header.error, 'RATE_LIMITED', { retryAfterSeconds: 7 });
    const text = await failure(() => new Response('slow down', { status: 429, statusText: 'Too Many Requests', headers: { 'retry-after': '2', 'content-type': 'text/plain' } }));
    expectCode(text.error, 'RATE_LIMITED', { retryAfterSeconds: 2 });
    const date = new Date(Date.now() + 10_000).toUTCString();
    const dated = await failure(() => new Response('', { status: 429, statusText: 'Too Many Requests', headers: { 'retry-after': date } }));
    expect(dated.error.code).toBe('RATE_LIMITED');
    expect(dated.error.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(dated.error.retryAfterSeconds).toBeLessThanOrEqual(11);
  });

  it('421 host not allowed and 5xx without a GraphQL body', async () => {
    expectCode((await failure(() => new Response('', { status: 421, statusText: 'Misdirected Request' }))).error, 'HOST_NOT_ALLOWED', { status: 421 });
    expectCode((await failure(() => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }))).error, 'INTERNAL', {
      status: 502,
    });
  });
});

describe('network failures and the no-cors probe', () => {
  it('fetch rejects, the no-cors probe gets an opaque answer: the connector is up, the origin was refused', async () => {
    vi.stubGlobal('location', { origin: 'https://shop.example' });
    const { error, posts, probes } = await failure(() => Promise.reject(new TypeError('Failed to fetch')), { probe: 'opaque' });
    expectCode(error, 'ORIGIN_NOT_ALLOWED', { status: undefined });
    expect(error.message).toContain('https://shop.example');
    expect(error.message).toContain('https://localhost:51983');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect([posts, probes]).toEqual([1, 1]);
  });

  it('fetch rejects and so does the probe: CONNECTOR_UNREACHABLE naming the likely causes', async () => {
    const { error, probes } = await failure(() => Promise.reject(new TypeError('Failed to fetch')), { probe: 'reject' });
    expectCode(error, 'CONNECTOR_UNREACHABLE');
    expect(error.message).toMatch(/not installed or not running/);
    expect(error.message).toMatch(/connector trust/);
    expect(error.message).toMatch(/local network/);
    expect(probes).toBe(1);
  });

  it('the probe is a plain no-cors GET of the same endpoint, with no body and no custom header', async () => {
    const f = fakeFetch((req) => (req.mode === 'no-cors' ? new Response(null) : Promise.reject(new TypeError('Failed to fetch'))));
    const c = createConnector({ fetch: f.fetch, url: 'https://127.0.0.1:4000', tag: 'page' });
    await expect(c.readers()).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(f.probes).toEqual([expect.objectContaining({ url: 'https://127.0.0.1:4000/graphql', method: 'GET', body: undefined, headers: {} })]);
  });

  it('a rejection that is not the fetch TypeError (e.g. aborted) is NETWORK, without probing', async () => {
    const { error, probes } = await failure(() => Promise.reject(new DOMException('The operation was aborted.', 'AbortError')));
    expectCode(error, 'NETWORK');
    expect(probes).toBe(0);
  });

  it('a connection cut while the answer is read is NETWORK', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"data":'));
        c.error(new TypeError('terminated'));
      },
    });
    const { error } = await failure(() => new Response(body, { headers: { 'content-type': 'application/json' } }));
    expectCode(error, 'NETWORK', { status: 200 });
  });
});

describe('malformed answers', () => {
  it.each([
    ['a 200 that is not JSON', () => new Response('<html>hello</html>', { headers: { 'content-type': 'application/json' } })],
    ['a 200 text/plain that is not JSON', () => new Response('hello', { headers: { 'content-type': 'text/plain' } })],
    ['JSON without data or errors', () => json({ hello: 1 })],
    ['data: null without errors', () => json({ data: null })],
    ['an empty 204', () => new Response(null, { status: 204 })],
  ])('%s is INVALID_RESPONSE', async (_name, answer) => {
    const { error, probes } = await failure(answer as Handler);
    expectCode(error, 'INVALID_RESPONSE');
    expect(probes).toBe(0);
  });

  it('errors that are not objects still give a ConnectorError', () => {
    expect(fromGraphQLErrors([null as never]).code).toBe('INVALID_RESPONSE');
    expect(fromGraphQLErrors([{ message: 42, extensions: { code: 'NO_CARD', retriesLeft: 'x' } }])).toMatchObject({ code: 'NO_CARD', retriesLeft: undefined });
    expect(fromHttpStatus({ status: 418, headers: new Headers() }).code).toBe('INVALID_RESPONSE');
  });
});

describe('ConnectorError', () => {
  it('is an Error with a name, a code and a cause; isConnectorError tells it apart', () => {
    const cause = new TypeError('x');
    const e = new ConnectorError('PIN_INCORRECT', 'Wrong PIN.', { retriesLeft: 2, cause });
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.retriesLeft, e.cause, e.message]).toEqual(['ConnectorError', 'PIN_INCORRECT', 2, cause, 'Wrong PIN.']);
    expect(isConnectorError(e)).toBe(true);
    expect(isConnectorError(new Error('x'))).toBe(false);
    expect(String(e)).toBe('ConnectorError: Wrong PIN.');
  });
});

describe('reader event subscription errors', () => {
  const subscribe = (handler: Handler) => {
    const f = fakeFetch((req) => (req.mode === 'no-cors' ? Promise.reject(new TypeError('Failed to fetch')) : handler(req)));
    const c = createConnector({ fetch: f.fetch });
    const events: unknown[] = [];
    const errors: ConnectorError[] = [];
    const off = c.onReaderEvent((e) => events.push(e), (e) => errors.push(e));
    return { f, events, errors, off };
  };
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await tick(2);
    expect(cond()).toBe(true);
  };

  it('a refused subscription (403 JSON body) is reported once as ORIGIN_NOT_ALLOWED', async () => {
    const s = subscribe(() => json(gqlError('ORIGIN_NOT_ALLOWED'), 403));
    await until(() => s.errors.length > 0);
    await tick(10);
    expect(s.errors.map((e) => [e.code, e.status])).toEqual([['ORIGIN_NOT_ALLOWED', 403]]);
  });

  it('a 406 with a non-JSON body maps by status', async () => {
    const s = subscribe(() => new Response('no', { status: 406, headers: { 'content-type': 'text/plain' } }));
    await until(() => s.errors.length > 0);
    expect(s.errors[0]!.code).toBe('BAD_REQUEST');
  });

  it('a 200 JSON answer instead of a stream is mapped from its body', async () => {
    const s = subscribe(() => json(gqlError('PCSC_UNAVAILABLE'), 200));
    await until(() => s.errors.length > 0);
    expect(s.errors[0]!.code).toBe('PCSC_UNAVAILABLE');
  });

  it('unreachable connector: CONNECTOR_UNREACHABLE after the probe', async () => {
    const s = subscribe(() => Promise.reject(new TypeError('Failed to fetch')));
    await until(() => s.errors.length > 0);
    expect(s.errors[0]!.code).toBe('CONNECTOR_UNREACHABLE');
    expect(s.f.probes).toHaveLength(1);
  });

  it('an error payload in a next event ends the subscription with its code', async () => {
    const es = eventStream();
    const s = subscribe(() => es.response);
    es.send('event: next\ndata: {"data":{"readerEvents":{"type":"READER_ADDED"}}}\n\n');
    es.send('event: next\ndata: {"errors":[{"message":"pcscd gone","extensions":{"code":"PCSC_UNAVAILABLE"}}]}\n\n');
    es.send('event: next\ndata: {"data":{"readerEvents":{"type":"READER_REMOVED"}}}\n\n');
    await until(() => s.errors.length > 0);
    await tick(10);
    expect(s.events).toEqual([{ type: 'READER_ADDED' }]);
    expect(s.errors.map((e) => e.code)).toEqual(['PCSC_UNAVAILABLE']);
    expect(es.cancelled).toBe(true);
  });

  it('an event that is not JSON is INVALID_RESPONSE', async () => {
    const es = eventStream();
    const s = subscribe(() => es.response);
    es.send('event: next\ndata: {oops\n\n');
    await until(() => s.errors.length > 0);
    expect(s.errors[0]!.code).toBe('INVALID_RESPONSE');
  });

  it('a stream cut mid-way is NETWORK; a stream that closes or completes is NETWORK too (subscribe again)', async () => {
    const cut = eventStream();
    const a = subscribe(() => cut.response);
    cut.send('event: next\ndata: {"data":{"readerEvents":{"type":"CARD_INSERTED"}}}\n\n');
    await until(() => a.events.length === 1);
    cut.fail(new TypeError('terminated'));
    await until(() => a.errors.length > 0);
    expect(a.errors[0]).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/interrupted/) });

    const closed = eventStream();
    const b = subscribe(() => closed.response);
    closed.close();
    await until(() => b.errors.length > 0);
    expect(b.errors[0]).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/closed unexpectedly/) });

    const completed = eventStream();
    const c = subscribe(() => completed.response);
    // As yoga ends a subscription: its events, `complete`, then the end of the response.
    completed.send('event: next\ndata: {"data":{"readerEvents":{"type":"CARD_INSERTED"}}}\n\n');
    completed.send('event: complete\ndata:\n\n');
    completed.close();
    await until(() => c.errors.length > 0);
    expect(c.errors[0]).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/ended the reader event stream/) });
  });

  it('without onError, the error is logged rather than lost', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const f = fakeFetch(() => json(gqlError('ORIGIN_NOT_ALLOWED'), 403));
      createConnector({ fetch: f.fetch }).onReaderEvent(() => {});
      for (let i = 0; i < 100 && spy.mock.calls.length === 0; i++) await tick(2);
      expect(spy.mock.calls[0]![0]).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    } finally {
      spy.mockRestore();
    }
  });
});
