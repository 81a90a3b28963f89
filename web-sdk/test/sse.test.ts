import { describe, expect, it } from 'vitest';
import { createSseParser, readEventStream, type SseMessage } from '../src/sse.js';

const parseChunks = (chunks: string[]): SseMessage[] => {
  const out: SseMessage[] = [];
  const feed = createSseParser((m) => out.push(m));
  for (const c of chunks) feed(c);
  return out;
};

/** What the connector writes for two events, a heartbeat between them, and the end. */
const CONNECTOR_STREAM =
  'event: next\ndata: {"data":{"readerEvents":{"type":"CARD_INSERTED"}}}\n\n' +
  ':\n\n' +
  'event: next\ndata: {"data":{"readerEvents":{"type":"CARD_REMOVED"}}}\n\n' +
  'event: complete\ndata:\n\n';

const EXPECTED: SseMessage[] = [
  { event: 'next', data: '{"data":{"readerEvents":{"type":"CARD_INSERTED"}}}' },
  { event: 'next', data: '{"data":{"readerEvents":{"type":"CARD_REMOVED"}}}' },
  { event: 'complete', data: '' },
];

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(typeof x === 'string' ? enc.encode(x) : x);
      c.close();
    },
  });
}

describe('SSE parser', () => {
  it('parses the connector stream: next events, heartbeat comments skipped, complete', () => {
    expect(parseChunks([CONNECTOR_STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events whatever the chunk boundary (every split into two, and into single characters)', () => {
    for (let i = 0; i <= CONNECTOR_STREAM.length; i++) {
      expect(parseChunks([CONNECTOR_STREAM.slice(0, i), CONNECTOR_STREAM.slice(i)])).toEqual(EXPECTED);
    }
    expect(parseChunks([...CONNECTOR_STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events for random three-way splits', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % (n + 1));
    for (let k = 0; k < 300; k++) {
      const a = rnd(CONNECTOR_STREAM.length);
      const b = a + rnd(CONNECTOR_STREAM.length - a);
      expect(parseChunks([CONNECTOR_STREAM.slice(0, a), CONNECTOR_STREAM.slice(a, b), CONNECTOR_STREAM.slice(b)])).toEqual(EXPECTED);
    }
  });

  it('accepts CRLF and CR line ends, including a CRLF split across chunks', () => {
    const crlf = CONNECTOR_STREAM.replace(/\n/g, '\r\n');
    const cr = CONNECTOR_STREAM.replace(/\n/g, '\r');
    expect(parseChunks([crlf])).toEqual(EXPECTED);
    expect(parseChunks([cr])).toEqual(EXPECTED);
    for (let i = 0; i <= crlf.length; i++) expect(parseChunks([crlf.slice(0, i), crlf.slice(i)])).toEqual(EXPECTED);
    for (let i = 0; i <= cr.length; i++) expect(parseChunks([cr.slice(0, i), cr.slice(i)])).toEqual(EXPECTED);
  });

  it('joins multi-line data, strips one leading space only, defaults the event name, ignores id/retry/unknown fields', () => {
    const s = 'id: 7\nretry: 100\nfoo: bar\ndata:  two spaces\ndata:x\ndata\n\ndata: {"a":1}\n\n';
    expect(parseChunks([s])).toEqual([
      { event: 'message', data: ' two spaces\nx\n' },
      { event: 'message', data: '{"a":1}' },
    ]);
  });

  it('emits complete without a data line, nothing for heartbeats or blank lines alone, nothing for an unfinished event', () => {
    expect(parseChunks([':\n\n', ': keep-alive\n\n', '\n\n\n', 'event: complete\n\n', 'event: next\ndata: {"partial"'])).toEqual([
      { event: 'complete', data: '' },
    ]);
  });

  it('reads a byte stream, decoding UTF-8 characters split across chunks', async () => {
    const text = 'event: next\ndata: {"name":"Lecteur é€ 🪪"}\n\nevent: complete\ndata:\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i <= bytes.length; i++) {
      const got: SseMessage[] = [];
      await readEventStream(streamOf([bytes.slice(0, i), bytes.slice(i)]), (m) => void got.push(m));
      expect(got).toEqual([
        { event: 'next', data: '{"name":"Lecteur é€ 🪪"}' },
        { event: 'complete', data: '' },
      ]);
    }
  });

  it('stops reading and cancels the stream when the callback returns true', async () => {
    let cancelled = false;
    let pulls = 0;
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(enc.encode(`event: next\ndata: ${pulls}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const got: string[] = [];
    await readEventStream(body, (m) => {
      got.push(m.data);
      return got.length === 3;
    });
    expect(got).toEqual(['1', '2', '3']);
    expect(cancelled).toBe(true);
  });

  it('rejects when the stream errors (connection cut)', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('event: next\ndata: 1\n\n'));
        c.error(new TypeError('terminated'));
      },
    });
    const got: string[] = [];
    await expect(readEventStream(body, (m) => void got.push(m.data))).rejects.toThrow('terminated');
  });
});
