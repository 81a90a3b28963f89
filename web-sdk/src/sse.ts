/** One Server-Sent Event: its `event:` name (default `message`) and its `data:` lines joined by LF. */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG `text/event-stream` format): feed it
 * text in chunks split anywhere, it calls `emit` once per complete event. Lines end in LF,
 * CR or CRLF (a CRLF split across two chunks counts once); `:` lines are comments (the
 * connector's heartbeats); `id` and `retry` are ignored. An event is dispatched at a blank
 * line when it had an `event` or a `data` field, so `event: complete` counts with or
 * without data. Text after the last blank line is an incomplete event and is never emitted.
 */
export function createSseParser(emit: (m: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let afterCR = false;
  let event = '';
  let data: string[] = [];
  let fields = false;

  const line = (l: string): void => {
    if (l === '') {
      if (fields) emit({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      fields = false;
      return;
    }
    if (l.charCodeAt(0) === 58 /* : */) return;
    const colon = l.indexOf(':');
    const name = colon === -1 ? l : l.slice(0, colon);
    let value = colon === -1 ? '' : l.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    if (name === 'event') {
      event = value;
      fields = true;
    } else if (name === 'data') {
      data.push(value);
      fields = true;
    }
  };

  return (chunk: string) => {
    if (afterCR && chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    afterCR = false;
    buffer += chunk;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      line(buffer.slice(start, i));
      if (c === 13) {
        if (i + 1 === buffer.length) afterCR = true;
        else if (buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}

/**
 * Read a `text/event-stream` body to its end, decoding UTF-8 across chunk boundaries.
 * Resolves when the stream ends or `onMessage` returns true (the rest is cancelled);
 * rejects when reading fails (connection cut, aborted).
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => boolean | void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let stop = false;
  const feed = createSseParser((m) => {
    if (!stop && onMessage(m) === true) stop = true;
  });
  try {
    while (!stop) {
      const { done, value } = await reader.read();
      if (done) {
        feed(decoder.decode());
        return;
      }
      feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (stop) reader.cancel().catch(() => {});
  }
}
