import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { startTestConnector, APP_ORIGIN, APP_LABEL, type TestConnector } from './helpers/test-connector.js';
import { gql, readReply } from './helpers/https-client.js';
import { DEFAULT_MAX_STREAMS } from '../src/http/graphql-server.js';

const SUBSCRIBE = gql('subscription { readerEvents { type } }');
let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector({
    origins: [
      { origin: 'https://*.wild.test', label: 'wild' },
      { origin: APP_ORIGIN, label: APP_LABEL },
    ],
  });
});
afterAll(() => t.close());

interface Stream {
  req: ClientRequest;
  status: number;
  body?: any;
}

/** Open an SSE subscription; resolves once the answer's status is known (the stream stays open on 200). */
function open(origin: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: t.port, path: '/graphql', method: 'POST', ca: t.ca, servername: 'localhost', agent: false,
      headers: { host: `localhost:${t.port}`, origin, 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      if (res.statusCode === 200) resolve({ req, status: 200 });
      else readReply(res).then((r) => resolve({ req, status: r.status, body: r.json }), reject);
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(SUBSCRIBE);
  });
}

describe('open subscription streams per origin', () => {
  it(`allows ${DEFAULT_MAX_STREAMS} per allow-list entry, refuses the next with 429 RATE_LIMITED until one closes`, async () => {
    const streams: Stream[] = [];
    try {
      // Spread over sub-domains of one wildcard entry: they share the cap.
      for (let i = 0; i < DEFAULT_MAX_STREAMS; i++) streams.push(await open(`https://s${i}.wild.test`));
      expect(streams.map((s) => s.status)).toEqual(Array(DEFAULT_MAX_STREAMS).fill(200));
      const refused = await open('https://another.wild.test');
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: DEFAULT_MAX_STREAMS });
      // Another entry is not affected.
      const other = await open(APP_ORIGIN);
      expect(other.status).toBe(200);
      streams.push(other);
      // A closed stream frees its place.
      streams.shift()!.req.destroy();
      // (the server sees the close a moment later)
      let again: Stream | undefined;
      for (let i = 0; i < 100 && !again; i++) {
        const s = await open('https://s0.wild.test');
        if (s.status === 200) again = s;
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(again?.status).toBe(200);
      streams.push(again!);
    } finally {
      for (const s of streams) s.req.destroy();
    }
  });
});
