/** A scripted fetch: records every request and answers with what the handler returns or throws. */
export interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
  mode: RequestMode | undefined;
  signal: AbortSignal | undefined;
}

export type Handler = (req: FakeRequest) => Response | Promise<Response>;

export function fakeFetch(handler: Handler) {
  const calls: FakeRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const req: FakeRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      mode: init.mode,
      signal: init.signal ?? undefined,
    };
    calls.push(req);
    return handler(req);
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    calls,
    /** GraphQL requests only (not the no-cors probes). */
    get posts() {
      return calls.filter((c) => c.method === 'POST');
    },
    get probes() {
      return calls.filter((c) => c.mode === 'no-cors');
    },
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

export const gqlError = (code: string, message = `error ${code}`, extra: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code, ...extra } }],
});

/** A text/event-stream response whose body is fed by the returned controller. */
export function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  const enc = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } }),
    send: (text: string) => controller.enqueue(enc.encode(text)),
    close: () => controller.close(),
    fail: (e: unknown) => controller.error(e),
    get cancelled() {
      return cancelled;
    },
  };
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
